import { ConflictError, type FieldIssue, type MessageParams } from '#shared/domain/errors';
import type { StaffRole } from '#shared/domain/roles';
import { staffAuditView, type User } from './model.ts';
import type { AuditActor } from '#shared/domain/audit/chain';
import type { AuditLog } from '#shared/domain/audit/ports';
import type { IdentityStore, StaffBatchWrite } from './ports.ts';

/** Rows of one `POST /v1/admin/staff/batch` (and of one pass of `staff.csv`). */
export const STAFF_BATCH_MAX_ROWS = 500;

/** One row as the edge parsed it (phone in E.164). */
export interface StaffRowInput {
  phone: string;
  displayName: string;
  roles: StaffRole[];
  departmentId: string;
  /** Absent: the grids of an existing account stay as they are (none for a new one). */
  gridIds?: string[] | undefined;
  /** Absent: an existing account keeps its status, a new one is active. */
  status?: 'active' | 'disabled' | undefined;
}

/** A problem of one row: the field, an English text and the catalogue id the HTTP layer translates. */
export interface RowIssue extends FieldIssue {
  messageId?: string | undefined;
  params?: MessageParams | undefined;
}

/** A row of the batch: parsed, or with the schema's issues (then `input` is absent). */
export interface StaffBatchRow {
  /** 1-based position in the request's `items`. */
  row: number;
  /** The phone as sent (for the answer when it could not be parsed). */
  phone: string;
  input?: StaffRowInput | undefined;
  issues: RowIssue[];
}

export type StaffBatchOutcome = 'created' | 'updated' | 'unchanged' | 'invalid';

export interface StaffBatchResultRow {
  row: number;
  phone: string;
  outcome: StaffBatchOutcome;
  /** The account (absent for invalid rows and rows that would be created on a dry run). */
  userId?: string | undefined;
  errors?: RowIssue[] | undefined;
}

export interface StaffBatchDeps {
  store: Pick<IdentityStore, 'usersByPhone' | 'writeStaffBatch' | 'listAllWithRole'>;
  departments(): Promise<{ get(id: string): unknown }>;
  grids(): Promise<{ has(id: string): boolean }>;
  now: () => Date;
  newId: () => string;
  /** The audit record: each chunk's transaction appends one `staff.batch` entry (its rows before and after). */
  audit?: AuditLog | undefined;
}

const sameSet = (a: readonly string[] | undefined, b: readonly string[] | undefined) => {
  const x = new Set(a ?? []);
  const y = new Set(b ?? []);
  return x.size === y.size && [...x].every((v) => y.has(v));
};

/** Whether an account is staff (has a department): a phone of anyone else is not the batch's to change. */
const isStaff = (u: User) => Boolean(u.departmentId) && u.roles.some((r) => r !== 'citizen');
const isActiveAdmin = (u: Pick<User, 'status' | 'roles'>) => u.status === 'active' && u.roles.includes('admin');

/**
 * 人员批量导入 — create or update many staff accounts at once, the phone as the key (admin; `staff.csv`).
 * 1. Every row is checked first: the schema (at the edge), the department and the grids exist, the phone
 *    is not twice in the batch and not a citizen's, and the batch leaves an active administrator.
 * 2. Each valid row is compared with the account of its phone: `created`, `updated` or `unchanged`.
 * 3. Nothing is written on a dry run or when any row is `invalid` (every row's outcome is answered).
 * 4. Otherwise the created and updated rows are written in chunks (one transaction each, within
 *    DynamoDB's 100 actions: a created row writes the account and the phone's claim); an update holds
 *    only while the account is as read. A chunk that fails on a concurrent change is a 409 after the
 *    chunks before it were written — running the same rows again converges (written rows are
 *    `unchanged` then; docs/operations.md, "Staff in bulk").
 */
export async function importStaff(deps: StaffBatchDeps, rows: StaffBatchRow[], options: { dryRun: boolean; actor?: AuditActor | undefined }): Promise<{ items: StaffBatchResultRow[]; written: number }> {
  const [departments, grids] = await Promise.all([deps.departments(), deps.grids()]);
  const issues = new Map<number, RowIssue[]>(rows.map((r) => [r.row, [...r.issues]]));
  const flag = (row: number, issue: RowIssue) => issues.get(row)!.push(issue);

  const firstRowOf = new Map<string, number>();
  for (const { row, input } of rows) {
    if (!input) continue;
    if (!departments.get(input.departmentId)) flag(row, { path: 'departmentId', message: `No department ${input.departmentId}`, messageId: 'staff-batch.unknown-department', params: { id: input.departmentId } });
    const unknown = (input.gridIds ?? []).filter((g) => !grids.has(g));
    if (unknown.length > 0) flag(row, { path: 'gridIds', message: `No grid ${unknown.join(', ')}`, messageId: 'staff-batch.unknown-grid', params: { ids: unknown.join(', ') } });
    const first = firstRowOf.get(input.phone);
    if (first !== undefined) flag(row, { path: 'phone', message: `The same phone as row ${first}`, messageId: 'staff-batch.duplicate-phone', params: { row: first } });
    else firstRowOf.set(input.phone, row);
  }

  const existing = await deps.store.usersByPhone([...firstRowOf.keys()]);
  const at = deps.now().toISOString();
  const planned = new Map<number, { outcome: 'created' | 'updated' | 'unchanged'; write?: StaffBatchWrite; userId?: string }>();
  for (const { row, input } of rows) {
    if (!input || issues.get(row)!.length > 0) continue;
    const current = existing.get(input.phone);
    if (!current) {
      const user: User = {
        id: deps.newId(),
        phone: input.phone,
        displayName: input.displayName,
        roles: [...new Set(input.roles)],
        departmentId: input.departmentId,
        status: input.status ?? 'active',
        createdAt: at,
        ...(input.gridIds?.length ? { gridIds: [...new Set(input.gridIds)] } : {}),
      };
      planned.set(row, { outcome: 'created', write: { kind: 'create', user } });
      continue;
    }
    if (!isStaff(current)) {
      flag(row, { path: 'phone', message: 'This phone belongs to a citizen\'s account', messageId: 'staff-batch.citizen-phone' });
      continue;
    }
    const after: User = {
      ...current,
      displayName: input.displayName,
      roles: [...new Set(input.roles)],
      departmentId: input.departmentId,
      status: input.status ?? current.status,
      ...(input.gridIds !== undefined ? { gridIds: [...new Set(input.gridIds)] } : {}),
    };
    const same =
      after.displayName === current.displayName &&
      sameSet(after.roles, current.roles) &&
      after.departmentId === current.departmentId &&
      after.status === current.status &&
      sameSet(after.gridIds, current.gridIds);
    planned.set(row, same ? { outcome: 'unchanged', userId: current.id } : { outcome: 'updated', userId: current.id, write: { kind: 'update', before: current, after } });
  }

  // The batch may not take the last active administrator away (as PATCH /v1/admin/staff/{id} may not).
  const admins = (await deps.store.listAllWithRole('admin')).filter(isActiveAdmin);
  if (admins.length > 0) {
    const afterOf = new Map<string, User>();
    for (const p of planned.values()) if (p.write) afterOf.set(p.write.kind === 'create' ? p.write.user.id : p.write.after.id, p.write.kind === 'create' ? p.write.user : p.write.after);
    const remaining = [...admins.filter((a) => !afterOf.has(a.id)), ...[...afterOf.values()].filter(isActiveAdmin)];
    if (remaining.length === 0) {
      for (const [row, p] of planned) {
        if (p.write?.kind === 'update' && isActiveAdmin(p.write.before)) {
          flag(row, { path: 'roles', message: 'This is the only active administrator', messageId: 'staff.last-admin' });
          planned.delete(row);
        }
      }
    }
  }

  const items: StaffBatchResultRow[] = rows.map(({ row, phone, input }) => {
    const errors = issues.get(row)!;
    if (errors.length > 0) return { row, phone: input?.phone ?? phone, outcome: 'invalid', errors };
    const p = planned.get(row)!;
    const userId = p.userId ?? (p.write?.kind === 'create' && !options.dryRun ? p.write.user.id : undefined);
    return { row, phone: input!.phone, outcome: p.outcome, ...(userId ? { userId } : {}) };
  });
  const writes = [...planned.values()].flatMap((p) => (p.write ? [p.write] : []));
  if (options.dryRun || items.some((i) => i.outcome === 'invalid') || writes.length === 0) return { items, written: 0 };
  const { audit: log } = deps;
  const actor = options.actor;
  const done = await deps.store.writeStaffBatch(
    writes,
    log && actor
      ? (chunk, span) => ({
          log,
          input: {
            ...actor,
            kind: 'staff.batch',
            target: `rows ${span.from}–${span.to} of ${writes.length}`,
            before: chunk.flatMap((w) => (w.kind === 'update' ? [staffAuditView(w.before)] : [])),
            after: chunk.map((w) => staffAuditView(w.kind === 'create' ? w.user : w.after)),
          },
        })
      : undefined,
  );
  if (done.conflict) {
    throw new ConflictError(
      `${done.written} of ${writes.length} changes were written before an account changed meanwhile; run the same batch again to finish it`,
      'CONFLICT',
      { id: 'staff-batch.interrupted', params: { written: done.written, total: writes.length } },
    );
  }
  return { items, written: done.written };
}
