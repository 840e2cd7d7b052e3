import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '#shared/domain/errors';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import type { Role, StaffRole } from '#shared/domain/roles';
import { staffAuditView, type Principal, type User } from './model.ts';
import type { AuditActor } from '#shared/domain/audit/chain';
import type { AuditLog } from '#shared/domain/audit/ports';
import type { IdentityStore, StaffChanges } from './ports.ts';

/** What the directory use cases need: the account store, the department tree and the grid ids. */
export interface DirectoryDeps {
  store: Pick<IdentityStore, 'listStaff' | 'updateStaff' | 'findUserByPhone'>;
  departments(): Promise<DepartmentTree>;
  grids(): Promise<{ has(id: string): boolean }>;
  /** The audit record: a change by an actor appends its entry in the same transaction. */
  audit?: AuditLog | undefined;
}

/** One entry of the staff directory (no phone: the directory is for picking people, not calling them). */
export function staffView(user: User, tree: DepartmentTree) {
  return {
    id: user.id,
    displayName: user.displayName,
    roles: user.roles,
    departmentId: user.departmentId ?? '',
    departmentName: (user.departmentId && tree.get(user.departmentId)?.name) || '',
    ...(user.gridIds?.length ? { gridIds: user.gridIds } : {}),
    status: user.status,
  };
}

/**
 * 人员名录 — the staff directory, by name.
 * 1. Admins and agents see everyone; a dispatcher sees its own department subtree (a department
 *    outside it is 403), so it can pick the `assigneeId` of a dispatch.
 * 2. One department is read through its index; otherwise the whole directory, filtered by role, a part
 *    of the name and (dispatchers) the subtree.
 */
export async function listStaff(
  deps: DirectoryDeps,
  principal: Principal,
  query: { departmentId?: string | undefined; role?: Role | undefined; q?: string | undefined; limit: number; cursor?: string | undefined },
) {
  const tree = await deps.departments();
  const seesAll = principal.roles.includes('admin') || principal.roles.includes('agent');
  let within: string[] | undefined;
  if (!seesAll) {
    const own = principal.departmentId;
    if (!own) throw new ForbiddenError('You belong to no department', { id: 'scope.no-department' });
    if (query.departmentId && (!tree.get(query.departmentId) || !tree.isWithin(query.departmentId, own))) {
      throw new ForbiddenError('That department is outside yours', { id: 'scope.department-outside' });
    }
    if (!query.departmentId) within = [own, ...tree.descendants(own).map((d) => d.id)];
  }
  const page = await deps.store.listStaff(
    { departmentId: query.departmentId, withinDepartments: within, role: query.role, q: query.q },
    { limit: query.limit, cursor: query.cursor },
  );
  return { items: page.items.map((u) => staffView(u, tree)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/**
 * Change a staff account (admin): name, roles, department, patrolled grids, status. Department and
 * grids must exist. Disabling ends the person's sessions: refresh tokens at once, access tokens within
 * the auth caches' lifetime (shared/http/auth.ts). The last active admin can neither lose the role nor be
 * disabled (409 LAST_ADMIN): the store holds another active admin by a condition in the same transaction.
 */
export async function updateStaff(deps: DirectoryDeps, id: string, changes: StaffChanges & { roles?: StaffRole[] | undefined }, actor?: AuditActor) {
  const [tree, grids] = await Promise.all([deps.departments(), deps.grids()]);
  if (changes.departmentId && !tree.get(changes.departmentId)) {
    throw new ValidationError('Unknown department', [{ path: 'departmentId', message: `No department ${changes.departmentId}` }], { id: 'reference.unknown-department' });
  }
  const unknown = (changes.gridIds ?? []).filter((g) => !grids.has(g));
  if (unknown.length > 0) throw new ValidationError('Unknown grids', [{ path: 'gridIds', message: `No grid ${unknown.join(', ')}` }], { id: 'reference.unknown-grid' });
  const log = deps.audit;
  const user = await deps.store.updateStaff(id, changes, log && actor ? (before, after) => ({ log, input: { ...actor, kind: 'staff.update', target: id, before: staffAuditView(before), after: staffAuditView(after) } }) : undefined);
  if (user === 'last-admin') {
    throw new ConflictError('This is the only active administrator: make someone else an administrator before removing this role or disabling the account', 'LAST_ADMIN', { id: 'staff.last-admin' });
  }
  if (!user) throw new NotFoundError('No such staff member', { id: 'staff.not-found' });
  return staffView(user, tree);
}

/** One entry of the administrators' directory: the staff entry with the full phone (export, the console's 人员). */
export function adminStaffView(user: User, tree: DepartmentTree) {
  const { gridIds: _g, ...entry } = staffView(user, tree);
  return { ...entry, phone: user.phone, gridIds: user.gridIds ?? [], createdAt: user.createdAt };
}

/**
 * 人员管理 — the whole staff directory with phone numbers (admin only: for the export and the console's
 * 人员 page), by name, filtered by status, department, role and a part of the name. With `phone` (a
 * whole number, normalised to E.164): the one staff member holding it, read through the phone's claim
 * (two GetItems, no directory read), if they also match the other filters; a citizen's phone finds no one.
 */
export async function listStaffForAdmin(
  deps: DirectoryDeps,
  query: { status?: 'active' | 'disabled' | undefined; departmentId?: string | undefined; role?: Role | undefined; q?: string | undefined; phone?: string | undefined; limit: number; cursor?: string | undefined },
) {
  const tree = await deps.departments();
  if (query.phone) {
    const user = await deps.store.findUserByPhone(query.phone);
    const matches =
      user?.departmentId !== undefined &&
      (!query.status || user.status === query.status) &&
      (!query.departmentId || user.departmentId === query.departmentId) &&
      (!query.role || user.roles.includes(query.role)) &&
      (!query.q || user.displayName.includes(query.q));
    return { items: matches ? [adminStaffView(user, tree)] : [] };
  }
  const page = await deps.store.listStaff({ departmentId: query.departmentId, role: query.role, q: query.q, status: query.status }, { limit: query.limit, cursor: query.cursor });
  return { items: page.items.map((u) => adminStaffView(u, tree)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
