import { ForbiddenError, NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import { publicPhotoKey } from '#shared/domain/photos/model';
import { photoView, type PhotoViewer } from '#shared/domain/photos/use-cases';
import { CITY_WIDE, visibility, type CaseDeps } from './deps.ts';
import type { Case, CaseStatus } from './model.ts';
import { sealedPage, type CaseStore, type CursorCodec, type Page, type PageRequest } from './ports.ts';
import { casePhotoChecks } from './photo-checks.ts';
import { caseView, eventView, isOverdue, STAFF_ONLY_ACTIONS } from './views.ts';
import { NO_DUE_TIME, taskOf } from './tasks.ts';

/** The caller's open roll calls (点名) as tasks: the roll-call store's reader (shared/domain/duty/roll-calls.ts). */
export interface MyRollCalls {
  open(userId: string): Promise<Array<{ id: string; sentAt: string; dueAt: string; note?: string | undefined }>>;
}

/**
 * 我的任务 — the caller's open tasks (handlers: cases dispatched to them, rework; supervisors: 核实/核查
 * checks), urgent first, then by due time, from the task index by assignee: one Query per page and one
 * batch read of the page's cases. Each item carries the case as staff see it and its before photos by
 * `photoKey` (the phone keeps them to show the task offline; view URLs come from the case detail).
 * A task the index still lists for a moment after its case moved on (the index is eventually
 * consistent) is left out: the case is read as it is now. An open roll call (点名, at most one) is a
 * `roll-call` item before the others on the first page (one GetItem beside the Query).
 */
export async function listMyTasks(deps: CaseDeps & { cursors: CursorCodec; rollCalls?: MyRollCalls | undefined }, principal: Principal, page: PageRequest) {
  const [result, rollCalls] = await Promise.all([
    sealedPage(deps.cursors, `tasks|${principal.userId}`, page, (p) => deps.store.listTasks(principal.userId, p)),
    // 点名: the open roll call (at most one) comes first, on the first page only.
    deps.rollCalls && page.cursor === undefined ? deps.rollCalls.open(principal.userId) : [],
  ]);
  const now = deps.now();
  return {
    items: [
      ...rollCalls.map((r): { kind: 'roll-call'; dueAt: string; rollCall: typeof r; caseId?: never } => ({ kind: 'roll-call', dueAt: r.dueAt, rollCall: r })),
      ...result.items.flatMap(({ case: c }) => {
        const task = taskOf(c);
        if (!task || task.assigneeId !== principal.userId) return [];
        return [
          {
            kind: task.kind,
            ...(task.dueAt !== NO_DUE_TIME ? { dueAt: task.dueAt } : {}),
            caseId: c.id,
            case: caseView(c, 'staff', now),
            photos: { before: c.beforePhotoKeys.map((photoKey) => ({ photoKey })) },
          },
        ];
      }),
    ],
    ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}),
  };
}

/** One case with its timeline and photos, as the caller may see it. */
export async function getCaseDetail(deps: CaseDeps & { photoViewer: PhotoViewer }, principal: Principal, id: string) {
  const [found, tree] = await Promise.all([deps.store.getCaseWithTimeline(id), deps.reference.departments()]);
  const viewer = found && visibility(found.case, principal, tree);
  if (!found || !viewer) throw new NotFoundError('No such case', { id: 'case.not-found' });
  const now = deps.now();
  const names = { departmentName: (departmentId: string) => tree.get(departmentId)?.name };
  const shown = async (key: string) => {
    const view = await photoView(deps.photoViewer, key);
    return viewer === 'reporter' ? { ...view, photoKey: publicPhotoKey(key) } : view;
  };
  // 照片核查: staff only — a reporter never learns what the evidence says. Read beside the signed URLs;
  // another case a photo resembles is named only if this viewer may read it.
  const checks = viewer === 'staff' ? casePhotoChecks(deps, found.case, found.timeline, { principal, tree }) : undefined;
  return {
    case: caseView(found.case, viewer, now),
    timeline: found.timeline.filter((e) => viewer === 'staff' || !STAFF_ONLY_ACTIONS.has(e.action)).map((e) => eventView(e, viewer, names)),
    photos: { before: await Promise.all(found.case.beforePhotoKeys.map(shown)), after: await Promise.all(found.case.afterPhotoKeys.map(shown)) },
    ...(checks ? { photoChecks: await checks } : {}),
  };
}

/** 我的案件 — the caller's own reports, newest first. */
export async function listMyCases(deps: CaseDeps & { cursors: CursorCodec }, principal: Principal, page: PageRequest) {
  const result = await sealedPage(deps.cursors, `me-cases|${principal.userId}`, page, (p) => deps.store.listByReporter(principal.userId, p));
  const now = deps.now();
  return { items: result.items.map((c) => caseView(c, 'reporter', now)), ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}) };
}

/**
 * 按编号查询 — one case by its number, through the number index: `{ items: [case] }` when the caller's
 * scope holds it, else `{ items: [] }` (a case outside the scope is as absent as an unknown number).
 */
export async function findCaseByNumber(deps: CaseDeps, principal: Principal, caseNumber: string) {
  const [found, tree] = await Promise.all([deps.store.findByCaseNumber(caseNumber), deps.reference.departments()]);
  if (!found || visibility(found, principal, tree) !== 'staff') return { items: [] };
  return { items: [caseView(found, 'staff', deps.now())] };
}

export interface QueueFilter {
  status?: CaseStatus | undefined;
  departmentId?: string | undefined;
  gridId?: string | undefined;
  overdue?: boolean | undefined;
}

/**
 * The staff work queue, urgent cases (紧急) first, then oldest first. City-wide roles read by status, or
 * a department's subtree with `departmentId`; dispatchers and handlers read their own department's
 * subtree — the cases held by it or by any department below it — or, with `departmentId`, the subtree
 * of one department within it. A handler's own queue (no other status than `dispatched`) is read from the
 * task index by assignee, full pages of their cases; with another status or department, that subtree's
 * page keeps only their assignments. One Query per page.
 */
export async function listQueue(deps: CaseDeps & { cursors: CursorCodec }, principal: Principal, filter: QueueFilter, page: PageRequest) {
  const tree = await deps.reference.departments();
  const cityWide = principal.roles.some((r) => CITY_WIDE.includes(r));
  let departmentId = filter.departmentId;
  if (!cityWide) {
    const own = principal.departmentId;
    if (!own) throw new ForbiddenError('You belong to no department', { id: 'scope.no-department' });
    departmentId ??= own;
    if (!tree.get(departmentId) || !tree.isWithin(departmentId, own)) throw new ForbiddenError('That department is outside yours', { id: 'scope.department-outside' });
  }
  const department = departmentId ? tree.get(departmentId) : undefined;
  // An unknown department (city-wide roles only; others got 403 above) holds nothing.
  if (departmentId && !department) return { items: [] };
  const status = filter.status ?? (department ? undefined : 'reported');
  const now = deps.now();
  const onlyOwnTasks = !cityWide && !principal.roles.includes('dispatcher');
  // A handler's own queue (their department, open or `dispatched`): the cases dispatched to them, from the
  // task index by assignee that 我的任务 reads — urgent first, then by due time; every item is theirs.
  if (onlyOwnTasks && department?.id === principal.departmentId && (status === undefined || status === 'dispatched')) {
    const own = await sealedPage(deps.cursors, `queue|${principal.userId}|tasks`, page, (p) => deps.store.listTasks(principal.userId, p));
    const cases = own.items.flatMap(({ task, case: c }) =>
      (task.kind === 'handle' || task.kind === 'rework') && c.status === 'dispatched' && c.assignment?.assigneeId === principal.userId ? [c] : [],
    );
    const kept = cases.filter((c) => (!filter.gridId || c.gridId === filter.gridId) && (filter.overdue === undefined || isOverdue(c, now) === filter.overdue));
    return { items: kept.map((c) => caseView(c, 'staff', now)), ...(own.nextCursor ? { nextCursor: own.nextCursor } : {}) };
  }
  // The cursor is bound to the caller and to the index query it continues (subtree and status).
  const scope = `queue|${principal.userId}|${department ? `subtree:${department.id}` : '-'}|${status ?? '-'}`;
  const result = await sealedPage(deps.cursors, scope, page, async (p) => (department ? urgentFirstInPage(await deps.store.listBySubtree(department, status, p)) : statusQueue(deps.store, status!, p)));
  const items = result.items.filter(
    (c) =>
      (!filter.gridId || c.gridId === filter.gridId) &&
      (filter.overdue === undefined || isOverdue(c, now) === filter.overdue) &&
      (!onlyOwnTasks || c.assignment?.assigneeId === principal.userId),
  );
  // Grid, overdue and own-task filters apply within the page read (documented in docs/data-model.md).
  return { items: items.map((c) => caseView(c, 'staff', now)), ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}) };
}


/**
 * The status queue with urgent cases first: the urgent index (sparse, urgent cases only) is read to its
 * end, then the status index without the urgent ones. The cursor says which part it continues:
 * `u.<cursor>` in the urgent part, `n.` at the start of the rest, otherwise the status index's own.
 */
async function statusQueue(store: CaseStore, status: CaseStatus, page: PageRequest): Promise<Page<Case>> {
  const cursor = page.cursor;
  const items: Case[] = [];
  if (cursor === undefined || cursor.startsWith('u.')) {
    const urgent = await store.listUrgentByStatus(status, { limit: page.limit, cursor: cursor?.slice(2) || undefined });
    items.push(...urgent.items);
    if (urgent.nextCursor) return { items, nextCursor: `u.${urgent.nextCursor}` };
    if (items.length >= page.limit) return { items, nextCursor: 'n.' };
  }
  const rest = cursor === undefined || cursor.startsWith('u.') || cursor === 'n.' ? undefined : cursor;
  const ordinary = await store.listByStatus(status, { limit: page.limit - items.length, cursor: rest });
  items.push(...ordinary.items.filter((c) => c.priority !== 'urgent'));
  return { items, ...(ordinary.nextCursor ? { nextCursor: ordinary.nextCursor } : {}) };
}

/** A department's queue page with its urgent cases first (stable: oldest first within each). */
function urgentFirstInPage(page: Page<Case>): Page<Case> {
  return { ...page, items: [...page.items.filter((c) => c.priority === 'urgent'), ...page.items.filter((c) => c.priority !== 'urgent')] };
}
