import { createHash } from 'node:crypto';
import { addWorkingHours, workingHoursBetween, type WorkingCalendar } from '#shared/domain/calendar';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from '#shared/domain/errors';
import { toWgs84, type InputLocation } from '#shared/domain/geo/coordinates';
import type { GridIndex } from '#shared/domain/geo/grid-index';
import type { Principal, User } from '#shared/domain/identity/model';
import type { Category } from '#shared/domain/reference/category';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import type { Role } from '#shared/domain/roles';
import { decide, TRANSITIONS, type ScopeFacts } from './lifecycle.ts';
import { newReportedCase, type Case, type CaseAction, type CaseEvent, type CaseStatus, type Channel } from './model.ts';
import type { CaseStore, PageRequest, PhotoAttachment } from './ports.ts';
import { counterDeltas, localDay, type StepCounters } from './counters.ts';
import { attachProblems, photoView, type PhotoDeps } from '#shared/domain/photos/use-cases';
import { caseView, eventView, isOverdue, type Viewer } from './views.ts';

export interface CaseDeps {
  store: CaseStore;
  reference: { departments(): Promise<DepartmentTree>; categories(): Promise<Map<string, Category>>; grids(): Promise<GridIndex> };
  users: { getUser(id: string): Promise<User | undefined> };
  photos: Pick<PhotoDeps, 'store' | 'storage'>;
  calendar: WorkingCalendar;
  now: () => Date;
  newId: () => string;
}

const CITY_WIDE: readonly Role[] = ['agent', 'supervisor', 'leader', 'admin'];
const localYear = (at: Date) => Number(localDay(at).slice(0, 4));

/** Can this caller see the case at all? Anyone who cannot gets 404 — no existence leak. */
function visibility(c: Case, principal: Principal, tree: DepartmentTree): Viewer | undefined {
  if (principal.roles.some((r) => CITY_WIDE.includes(r))) return 'staff';
  if (principal.roles.includes('dispatcher') && principal.departmentId) {
    const own = principal.departmentId;
    if (c.dispatchPath.some((d) => tree.get(d) && tree.isWithin(d, own))) return 'staff';
  }
  if (principal.roles.includes('handler') && c.assignment?.assigneeId === principal.userId) return 'staff';
  if (c.reporterId === principal.userId) return 'reporter';
  return undefined;
}

function scopeFacts(c: Case, principal: Principal, tree: DepartmentTree): ScopeFacts {
  const assigned = c.assignment?.departmentId;
  const own = principal.departmentId;
  return {
    isReporter: c.reporterId !== undefined && c.reporterId === principal.userId,
    isAssignee: c.assignment?.assigneeId === principal.userId,
    inOwnDepartment: Boolean(assigned && own && assigned === own),
    inSubtree: Boolean(assigned && own && tree.get(assigned) && tree.isWithin(assigned, own)),
  };
}

const hashBody = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('base64url');

export interface ReportInput {
  description: string;
  location: InputLocation;
  address?: string | undefined;
  photoKeys?: string[] | undefined;
  categoryCode?: string | undefined;
  channel?: 'app' | 'wechat' | undefined;
}

/**
 * 信息收集 — report a problem (citizen: app/WeChat; supervisor: patrol).
 * 1. Replay an Idempotency-Key: same body → the first case; another body → 409.
 * 2. Locate the grid from the (WGS84-converted) location; check the category hint.
 * 3. Write the case, its `report` event and the day's `received` counter in one transaction.
 */
export async function reportCase(deps: CaseDeps, principal: Principal, input: ReportInput, idempotencyKey?: string) {
  const bodyHash = hashBody(input);
  // A retry is answered from the first request's record before anything is checked again: its photos
  // are attached by now, and that must not turn the retry into a 400.
  if (idempotencyKey) {
    const seen = await deps.store.getIdempotency(principal.userId, idempotencyKey);
    if (seen) return replay(deps, seen, bodyHash);
  }
  const location = toWgs84(input.location);
  const [grids, categories] = await Promise.all([deps.reference.grids(), input.categoryCode ? deps.reference.categories() : undefined]);
  if (input.categoryCode && !categories?.has(input.categoryCode)) {
    throw new ValidationError('Unknown category', [{ path: 'categoryCode', message: `No category ${input.categoryCode}` }]);
  }
  const photoProblems = await attachProblems(deps.photos, principal, input.photoKeys ?? [], 'before');
  if (photoProblems.length > 0) throw new ValidationError('Some photos cannot be attached', photoProblems);

  const grid = grids.locate(location.lat, location.lng);
  const at = deps.now();
  const isPatrol = principal.roles.includes('supervisor') && !principal.roles.includes('citizen');
  const channel: Channel = isPatrol ? 'patrol' : (input.channel ?? 'app');
  const category = input.categoryCode ? categories?.get(input.categoryCode) : undefined;
  const { case: c, event } = newReportedCase(
    {
      id: deps.newId(),
      channel,
      description: input.description,
      location,
      address: input.address,
      gridId: grid?.id,
      gridName: grid?.name,
      district: grid?.district,
      categoryCode: category?.code,
      categoryName: category?.name,
      reporterId: principal.userId,
      beforePhotoKeys: input.photoKeys ?? [],
    },
    at,
    { id: principal.userId, role: isPatrol ? 'supervisor' : 'citizen', displayName: principal.displayName },
  );
  const outcome = await deps.store.createCase({
    case: c,
    event,
    counters: counterDeltas(c, at, { case: { received: 1 } }),
    ...(idempotencyKey ? { idempotency: { callerId: principal.userId, key: idempotencyKey, bodyHash } } : {}),
    ...(c.beforePhotoKeys.length ? { attach: { photoKeys: c.beforePhotoKeys, ownerId: principal.userId, kind: 'before' as const } } : {}),
  });
  if (outcome.created) return caseView(c, 'reporter', at);
  return replay(deps, outcome.existing, bodyHash);
}

/** The answer to a repeated Idempotency-Key: the first case for the same body, 409 for another. */
async function replay(deps: CaseDeps, seen: { caseId: string; bodyHash: string }, bodyHash: string) {
  if (seen.bodyHash !== bodyHash) throw new ConflictError('This Idempotency-Key was used with a different request body');
  const first = await deps.store.getCase(seen.caseId);
  if (!first) throw new NotFoundError('The case of this Idempotency-Key no longer exists');
  return caseView(first, 'reporter', deps.now());
}

/** One case with its timeline and photos, as the caller may see it. */
export async function getCaseDetail(deps: CaseDeps, principal: Principal, id: string) {
  const [found, tree] = await Promise.all([deps.store.getCaseWithTimeline(id), deps.reference.departments()]);
  const viewer = found && visibility(found.case, principal, tree);
  if (!found || !viewer) throw new NotFoundError('No such case');
  const now = deps.now();
  return {
    case: caseView(found.case, viewer, now),
    timeline: found.timeline.map((e) => eventView(e, viewer)),
    photos: {
      before: await Promise.all(found.case.beforePhotoKeys.map((key) => photoView(deps.photos, key))),
      after: await Promise.all(found.case.afterPhotoKeys.map((key) => photoView(deps.photos, key))),
    },
  };
}

/** 我的案件 — the caller's own reports, newest first. */
export async function listMyCases(deps: CaseDeps, principal: Principal, page: PageRequest) {
  const result = await deps.store.listByReporter(principal.userId, page);
  const now = deps.now();
  return { items: result.items.map((c) => caseView(c, 'reporter', now)), ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}) };
}

export interface QueueFilter {
  status?: CaseStatus | undefined;
  departmentId?: string | undefined;
  gridId?: string | undefined;
  overdue?: boolean | undefined;
}

/**
 * The staff work queue, oldest first. City-wide roles read by status (or by department); dispatchers
 * read their own department or one below it; handlers read their own assignments.
 */
export async function listQueue(deps: CaseDeps, principal: Principal, filter: QueueFilter, page: PageRequest) {
  const tree = await deps.reference.departments();
  const cityWide = principal.roles.some((r) => CITY_WIDE.includes(r));
  let departmentId = filter.departmentId;
  if (!cityWide) {
    const own = principal.departmentId;
    if (!own) throw new ForbiddenError('You belong to no department');
    departmentId ??= own;
    if (!tree.get(departmentId) || !tree.isWithin(departmentId, own)) throw new ForbiddenError('That department is outside yours');
  }
  const status = filter.status ?? (departmentId ? undefined : 'reported');
  const result = departmentId ? await deps.store.listByDepartment(departmentId, status, page) : await deps.store.listByStatus(status!, page);
  const now = deps.now();
  const onlyOwnTasks = !cityWide && !principal.roles.includes('dispatcher');
  const items = result.items.filter(
    (c) =>
      (!filter.gridId || c.gridId === filter.gridId) &&
      (filter.overdue === undefined || isOverdue(c, now) === filter.overdue) &&
      (!onlyOwnTasks || c.assignment?.assigneeId === principal.userId),
  );
  // Grid, overdue and own-task filters apply within the page read (documented in docs/data-model.md).
  return { items: items.map((c) => caseView(c, 'staff', now)), ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}) };
}

export type TransitionInput =
  | { action: 'file'; categoryCode: string; gridId?: string | undefined; note?: string | undefined }
  | { action: 'reject'; reason: string; duplicateOf?: string | undefined }
  | { action: 'dispatch'; departmentId?: string | undefined; assigneeId?: string | undefined; note?: string | undefined }
  | { action: 'return'; reason: string }
  | { action: 'complete'; photoKeys: string[]; note?: string | undefined }
  | { action: 'verify'; approved: boolean; note?: string | undefined }
  | { action: 'rate'; satisfied: boolean; score?: number | undefined; comment?: string | undefined };

/**
 * Every lifecycle step goes through here.
 * 1. Load the case; a case the caller cannot see is 404.
 * 2. Ask THE transition table: role (403), status (409 INVALID_TRANSITION), scope (403).
 * 3. A stale `expectedVersion` is 409 before anything is computed.
 * 4. Compute the next case and its event (pure, per action).
 * 5. Write case (conditional on version) + event + counters in one transaction. A lost race is 409 —
 *    unless the caller named no version and only the system (the deadline timer's warn/escalate) wrote
 *    meanwhile: then the step is decided again on the fresh case, up to three times, so timers never
 *    make staff requests fail. Lost to another person's step, it stays 409.
 */
export async function transition(deps: CaseDeps, principal: Principal, id: string, input: TransitionInput & { expectedVersion?: number | undefined }) {
  for (let attempt = 1; ; attempt++) {
    const result = await attemptTransition(deps, principal, id, input);
    if (!('lostOn' in result)) return result;
    const retry = input.expectedVersion === undefined && attempt < 3 && (await onlySystemSince(deps, id, result.lostOn));
    if (!retry) throw new ConflictError('Someone else changed this case at the same moment; reload it');
  }
}

/** Were all events after `basis` written by the system (timers), not by a person? */
async function onlySystemSince(deps: CaseDeps, id: string, basis: Case): Promise<boolean> {
  const fresh = await deps.store.getCaseWithTimeline(id);
  const since = fresh?.timeline.filter((e) => e.seq > basis.eventCount) ?? [];
  return since.length > 0 && since.every((e) => e.actor.role === 'system');
}

async function attemptTransition(deps: CaseDeps, principal: Principal, id: string, input: TransitionInput & { expectedVersion?: number | undefined }) {
  const [current, tree] = await Promise.all([deps.store.getCase(id), deps.reference.departments()]);
  if (!current || !visibility(current, principal, tree)) throw new NotFoundError('No such case');
  const decision = decide(input.action, current.status, principal.roles, scopeFacts(current, principal, tree));
  if ('kind' in decision) {
    if (decision.kind === 'forbidden') throw new ForbiddenError(decision.message);
    throw new InvalidTransitionError(decision.message);
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw new ConflictError(`The case changed meanwhile (version ${current.version}, you had ${input.expectedVersion}); reload it`);
  }
  const at = deps.now();
  const step = await STEPS[input.action](deps, { current, principal, tree, at, role: decision.role }, input as never);
  const rule = TRANSITIONS[input.action];
  const next: Case = {
    ...current,
    ...step.changes,
    status: rule.to(current.status, { approved: input.action === 'verify' ? input.approved : undefined }),
    updatedAt: at.toISOString(),
    version: current.version + 1,
    eventCount: current.eventCount + 1,
  };
  // A dispatch (each hop) or a rework starts a fresh deadline timer, named after this event's seq;
  // the timer of an earlier event finds it is no longer current and ends.
  if (step.startsTimer && next.dueAt) next.timerSeq = next.eventCount;
  const event: CaseEvent = {
    caseId: id,
    seq: next.eventCount,
    at: at.toISOString(),
    action: step.eventAction ?? input.action,
    fromStatus: current.status,
    toStatus: next.status,
    actor: { id: principal.userId, role: decision.role, displayName: principal.displayName },
    internal: rule.internalNote,
    ...step.event,
  };
  const written = await deps.store.applyTransition({ expectedVersion: current.version, next, event, counters: counterDeltas(next, at, step.counters), attach: step.attach });
  if (!written) return { lostOn: current };
  return caseView(next, visibility(next, principal, tree) ?? 'staff', at);
}

interface StepContext {
  current: Case;
  principal: Principal;
  tree: DepartmentTree;
  at: Date;
  role: Role;
}

interface Step {
  changes: Partial<Case>;
  attach?: PhotoAttachment;
  event?: Partial<CaseEvent>;
  eventAction?: CaseEvent['action'];
  counters: StepCounters;
  /** The event starts the case's deadline timer (escalation, issue 7). */
  startsTimer?: boolean;
}

type StepFn<A extends CaseAction> = (deps: CaseDeps, ctx: StepContext, input: Extract<TransitionInput, { action: A }>) => Promise<Step>;

/** What each action changes, besides status, version and timeline (which `transition` handles). */
const STEPS: { [A in CaseAction]: StepFn<A> } = {
  /** 立案: classify, number, fix the grid. */
  async file(deps, { current, at }, input) {
    const [categories, grids] = await Promise.all([deps.reference.categories(), deps.reference.grids()]);
    const category = categories.get(input.categoryCode);
    if (!category) throw new ValidationError('Unknown category', [{ path: 'categoryCode', message: `No category ${input.categoryCode}` }]);
    let grid = current.gridId ? { id: current.gridId, name: current.gridName, district: current.district } : undefined;
    if (input.gridId) {
      const chosen = grids.get(input.gridId);
      if (!chosen) throw new ValidationError('Unknown grid', [{ path: 'gridId', message: `No grid ${input.gridId}` }]);
      grid = { id: chosen.id, name: chosen.name, district: chosen.district };
    }
    if (!grid) throw new ValidationError('The case lies outside every grid: give gridId', [{ path: 'gridId', message: 'Required for a case outside every grid' }]);
    const year = localYear(at);
    const sequence = await deps.store.nextCaseNumber(year);
    return {
      changes: {
        categoryCode: category.code,
        categoryName: category.name,
        gridId: grid.id,
        gridName: grid.name,
        district: grid.district,
        caseNumber: `${year}-${String(sequence).padStart(6, '0')}`,
      },
      event: { note: input.note },
      counters: { case: { filed: 1 } },
    };
  },

  /** 不予立案: invalid or a duplicate (which must be another existing case). */
  async reject(deps, { current }, input) {
    if (input.duplicateOf) {
      if (input.duplicateOf === current.id || !(await deps.store.getCase(input.duplicateOf))) {
        throw new ValidationError('Unknown duplicate', [{ path: 'duplicateOf', message: 'Must be the id of another case' }]);
      }
    }
    return { changes: { rejectReason: input.reason, duplicateOf: input.duplicateOf }, event: { note: input.reason }, counters: { case: { rejected: 1 } } };
  },

  /** 派遣: down the hierarchy; without a target, the next unit responsible for the grid ("by location"). */
  async dispatch(deps, { current, principal, tree, at, role }, input) {
    const categories = await deps.reference.categories();
    const category = current.categoryCode ? categories.get(current.categoryCode) : undefined;
    const assignee = input.assigneeId ? await deps.users.getUser(input.assigneeId) : undefined;
    if (input.assigneeId && (!assignee || assignee.status !== 'active' || !assignee.roles.includes('handler'))) {
      throw new ValidationError('Unknown handler', [{ path: 'assigneeId', message: 'Must be an active handler' }]);
    }
    let departmentId = input.departmentId ?? assignee?.departmentId ?? suggestTarget(current, tree, category);
    if (!departmentId) throw new ValidationError('No responsible unit found: give departmentId', [{ path: 'departmentId', message: 'Required here' }]);
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
    const dueAt = current.dueAt ?? (category ? addWorkingHours(deps.calendar, at, category.timeLimit.workingHours).toISOString() : undefined);
    return {
      changes: {
        assignment: { departmentId, departmentName: target.name, ...(assignee ? { assigneeId: assignee.id, assigneeName: assignee.displayName } : {}) },
        dispatchPath: [...current.dispatchPath, departmentId],
        ...(firstDispatch ? { firstDispatchedAt: at.toISOString() } : {}),
        dueAt,
      },
      event: { note: input.note, departmentId, ...(assignee ? { assigneeId: assignee.id } : {}) },
      counters: {
        // Each hop counts for the receiving department; the city counts a case once, at its first dispatch,
        // and puts it in the cohort of the day its deadline falls.
        department: { id: departmentId, add: { dispatched: 1 } },
        ...(firstDispatch ? { case: { dispatched: 1 }, ...(dueAt ? { cohort: { day: localDay(new Date(dueAt)), add: { due: 1 } } } : {}) } : {}),
      },
      startsTimer: true,
    };
  },

  /** 回退: back to the center with the reason; the assignment is cleared. */
  async return(_deps, { current }, input) {
    const returning = current.assignment?.departmentId;
    return {
      // Back at the center: departments that held it lose sight of it (the timeline keeps the history).
      changes: { assignment: undefined, dispatchPath: [] },
      event: { note: input.reason, departmentId: returning },
      counters: { case: { returned: 1 }, ...(returning ? { department: { id: returning, add: { returned: 1 } } } : {}) },
    };
  },

  /** 处置完成: the after photo is mandatory. */
  async complete(deps, { current, principal, at }, input) {
    const problems = await attachProblems(deps.photos, principal, input.photoKeys, 'after');
    if (problems.length > 0) throw new ValidationError('Some photos cannot be attached', problems);
    return {
      // After a rework, the new after photos join the earlier ones: the whole history stays visible.
      changes: { afterPhotoKeys: [...current.afterPhotoKeys, ...input.photoKeys], completedAt: at.toISOString() },
      event: { note: input.note, photoKeys: input.photoKeys },
      counters: {
        case: { handled: 1 },
        department: { id: current.assignment!.departmentId, add: { handled: 1, ...(current.dueAt && at.getTime() > Date.parse(current.dueAt) ? { handledLate: 1 } : { handledOnTime: 1 }) } },
      },
      attach: { photoKeys: input.photoKeys, ownerId: principal.userId, kind: 'after' },
    };
  },

  /** 核查: approve → 结案 closed; otherwise rework, back to the same assignee. */
  async verify(deps, { current, at }, input) {
    const department = current.assignment!.departmentId;
    if (input.approved) {
      const onTime = !isOverdue({ ...current, status: 'closed' }, at);
      const hours = current.firstDispatchedAt && current.completedAt ? workingHoursBetween(deps.calendar, new Date(current.firstDispatchedAt), new Date(current.completedAt)) : 0;
      const closing = { closed: 1, ...(onTime ? { closedOnTime: 1 } : {}) };
      return {
        changes: { closedAt: at.toISOString() },
        eventAction: 'close',
        event: { note: input.note },
        counters: {
          case: { ...closing, handlingHours: Math.round(hours * 100) / 100 },
          department: { id: department, add: closing },
          ...(current.dueAt ? { cohort: { day: localDay(new Date(current.dueAt)), add: { dueClosed: 1, ...(onTime ? { dueClosedOnTime: 1 } : {}) } } } : {}),
        },
      };
    }
    return {
      changes: { reworkCount: current.reworkCount + 1 },
      eventAction: 'rework',
      event: { note: input.note },
      counters: { case: { reworked: 1 }, department: { id: department, add: { reworked: 1 } } },
      startsTimer: true,
    };
  },

  /** 评价: once. */
  async rate(_deps, { current, at }, input) {
    if (current.rating) throw new ConflictError('This case has been rated already');
    const rating = { rated: 1, ...(input.satisfied ? { satisfied: 1 } : {}) };
    return {
      changes: { rating: { satisfied: input.satisfied, score: input.score, comment: input.comment, at: at.toISOString() } },
      event: { note: input.comment },
      counters: { case: rating, ...(current.assignment ? { department: { id: current.assignment.departmentId, add: rating } } : {}) },
    };
  },
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
