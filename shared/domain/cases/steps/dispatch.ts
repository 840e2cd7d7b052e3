import { ConflictError, ForbiddenError, ValidationError } from '#shared/domain/errors';
import type { Category } from '#shared/domain/reference/category';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import { localDay } from '../counters.ts';
import { clockOf, limitHours } from '../deadline.ts';
import { DEFAULT_POSITION_LIMITS } from '../deps.ts';
import type { Case } from '../model.ts';
import type { StepFn } from './step.ts';

/** 派遣: down the hierarchy; without a target, the next unit responsible for the grid ("by location"). */
export const dispatchStep: StepFn<'dispatch'> = async (deps, { current, principal, tree, calendar, at, role }, input) => {
  const categories = await deps.reference.categories();
  const category = current.categoryCode ? categories.get(current.categoryCode) : undefined;
  const assignee = input.assigneeId ? await deps.users.getUser(input.assigneeId) : undefined;
  if (input.assigneeId && (!assignee || assignee.status !== 'active' || !assignee.roles.includes('handler'))) {
    throw new ValidationError('Unknown handler', [{ path: 'assigneeId', message: 'Must be an active handler' }]);
  }
  let departmentId = input.departmentId ?? assignee?.departmentId ?? suggestTarget(current, tree, category);
  if (!departmentId) {
    // Nothing below the holding unit (a brigade, a specialist): the next step is a person, not a unit.
    const holder = current.assignment ? tree.get(current.assignment.departmentId) : undefined;
    if (holder && tree.descendants(holder.id).length === 0) {
      throw new ValidationError('No unit below the one holding the case: give assigneeId (a handler)', [{ path: 'assigneeId', message: 'Required here: a handler of this unit (nothing lies below it)' }]);
    }
    throw new ValidationError('No responsible unit found: give departmentId', [{ path: 'departmentId', message: 'Required here' }]);
  }
  const target = tree.get(departmentId);
  if (!target) throw new ValidationError('Unknown department', [{ path: 'departmentId', message: `No department ${departmentId}` }]);
  if (assignee && assignee.departmentId !== target.id) {
    throw new ValidationError('The handler is not in that department', [{ path: 'assigneeId', message: `Belongs to ${assignee.departmentId}` }]);
  }
  if (role === 'dispatcher') {
    const own = principal.departmentId!;
    const below = target.id !== own && tree.isWithin(target.id, own);
    const toOwnHandler = target.id === own && assignee !== undefined;
    if (!below && !toOwnHandler) throw new ForbiddenError('Dispatchers send cases down their own subtree (or to a handler of their own department)');
  }
  departmentId = target.id;
  if (current.assignment?.departmentId === departmentId && current.assignment.assigneeId === assignee?.id) {
    // A retried dispatch must not count twice or add a hop: it is already there.
    throw new ConflictError(`The case is already with ${target.name}${assignee ? ` (${assignee.displayName})` : ''}`);
  }
  const firstDispatch = !current.firstDispatchedAt;
  // The limit runs from the first dispatch: working hours, or clock hours for an urgent case.
  const startsClock = !current.dueAt && category !== undefined;
  const clock = clockOf(await calendar(), current);
  const dueAt = current.dueAt ?? (category ? clock.add(at, limitHours(category, current.priority)).toISOString() : undefined);
  // 按时派遣: within the dispatch limit of the case reaching its holder (older cases: of their last change).
  const heldSince = new Date(current.heldSince ?? current.updatedAt);
  const onTime = at.getTime() <= clock.add(heldSince, (deps.positionLimits ?? DEFAULT_POSITION_LIMITS).dispatchHours).getTime();
  return {
    changes: {
      assignment: { departmentId, departmentName: target.name, ...(assignee ? { assigneeId: assignee.id, assigneeName: assignee.displayName } : {}) },
      dispatchPath: [...current.dispatchPath, departmentId],
      ...(firstDispatch ? { firstDispatchedAt: at.toISOString() } : {}),
      ...(startsClock ? { clockStartedAt: at.toISOString(), clockStartLevel: 0 } : {}),
      dueAt,
      // A hop to a unit leaves the next dispatch to it; a hop to a handler ends the chain.
      heldSince: at.toISOString(),
      lastDispatch: { by: principal.userId, at: at.toISOString() },
    },
    event: { note: input.note, departmentId, departmentName: target.name, ...(assignee ? { assigneeId: assignee.id, assigneeName: assignee.displayName } : {}) },
    counters: {
      // Each hop counts for the receiving department; the city counts a case once, at its first dispatch,
      // and puts it in the cohort of the day its deadline falls.
      department: { id: departmentId, add: { dispatched: 1 } },
      ...(firstDispatch ? { case: { dispatched: 1 }, ...(dueAt ? { cohort: { day: localDay(new Date(dueAt)), add: { due: 1 } } } : {}) } : {}),
      staff: [{ userId: principal.userId, add: { dispatches: 1, ...(onTime ? { dispatchesOnTime: 1 } : {}) } }],
    },
    startsTimer: true,
  };
};

/**
 * The next unit "by location": a category's specialist department if it has one; otherwise one level
 * below the current assignment toward the street brigade responsible for the case's grid (the city
 * bureau first, as in the seed's Case B).
 */
export function suggestTarget(c: Case, tree: DepartmentTree, category: Category | undefined): string | undefined {
  if (!c.assignment && category?.defaultDepartmentId) return category.defaultDepartmentId;
  const level = c.assignment ? (tree.get(c.assignment.departmentId)?.level ?? 0) + 1 : 1;
  if (!c.gridId) return level === 1 ? tree.list().find((d) => d.level === 1)?.id : undefined;
  return tree.responsibleUnit(level, c.gridId)?.id;
}
