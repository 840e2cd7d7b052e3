import { CASE_STATUSES, followerKey, isOpen, type Case, type CaseEvent, type Follower } from '#shared/domain/cases/model';
import type { CaseStore, CounterDelta, PhotoAttachment } from '#shared/domain/cases/ports';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import { geoKeys } from '#shared/domain/geo/nearness';
import { ValidationError } from '#shared/domain/errors';
import { IDEMPOTENCY_TTL_SECONDS, type IdempotencyClaim } from '#shared/domain/cases/idempotency';
import { notCancelled, throwIfAccountCancelled } from './accounts.ts';
import { describeCancellation, failedWrites, isConditionFailure, throwIfOnlyConflicts, withConflictRetry, withCursor } from './conditions.ts';
import { caseEventModel, caseFollowerModel, caseModel, caseSequenceModel, dailyStatsModel, hotlineTicketModel, idempotencyModel, legacyIdempotencyModel, taskModel, type CaseItem } from './entities/cases.ts';
import { photoModel } from './entities/photo.ts';
import { fromStored, isOf } from './model.ts';
import { get, getMany, query, queryCollection, send, transact, updateAndGet, write, type Table, type Write } from './operations.ts';
import { createReferenceCache } from './reference-cache.ts';
import { createReferenceReads } from './reference-reads.ts';

const NO_REPORTER = '-';
/** The owner of a cancelled person's photos. */
const NO_OWNER = '-';
const OFF_INDEX = '-';

/** The reported-by-date index's partition of a case: the UTC month of its `createdAt`. */
export const reportedMonthOf = (createdAt: string) => createdAt.slice(0, 7);

/**
 * The subtree queues' partitions of a case held by `departmentId`: the holder's department at level 1
 * and at level 2 (itself or an ancestor), `-` where it has none (unassigned; held at level 1 has no
 * level-2 key; a department missing from the tree is on its own queue, gsi3, only).
 */
export function holderKeys(departmentId: string | undefined, tree: DepartmentTree): { holderLevel1: string; holderLevel2: string } {
  const keys = { holderLevel1: OFF_INDEX, holderLevel2: OFF_INDEX };
  const holder = departmentId ? tree.get(departmentId) : undefined;
  if (!holder) return keys;
  for (const d of [holder, ...tree.ancestors(holder.id)]) {
    if (d.level === 1) keys.holderLevel1 = d.id;
    if (d.level === 2) keys.holderLevel2 = d.id;
  }
  return keys;
}

/** The case as stored, with the keys of every index it belongs on (the subtree queues' from `tree`). */
export const toItem = (c: Case, tree: DepartmentTree): CaseItem => {
  const { id, ...rest } = c;
  return {
    ...rest,
    caseId: id,
    reporterKey: c.reporterId ?? NO_REPORTER,
    assignedDepartmentId: c.assignment?.departmentId ?? '-',
    ...holderKeys(c.assignment?.departmentId, tree),
    // On the nearness index only while open; `-` keeps it off.
    ...(c.location && isOpen(c.status) ? geoKeys(c.location) : { geohash: OFF_INDEX, geoArea: OFF_INDEX }),
    reportedMonth: reportedMonthOf(c.createdAt),
  };
};

export const toCase = (item: CaseItem): Case => {
  const { caseId, reporterKey: _r, assignedDepartmentId: _a, holderLevel1: _h1, holderLevel2: _h2, reportedMonth: _m, geohash: _g, geoArea: _ga, ...rest } = item;
  return { ...rest, id: caseId };
};

/** A case's own write in a transition: the whole item, if the stored one is still the version read. */
const putCase = (table: Table, tree: DepartmentTree, next: Case, expectedVersion: number) => write.put(table, caseModel, toItem(next, tree), { if: (x) => x.eq('version', expectedVersion) });

/** The subtree queue of a department at each level: level 1 and 2 have their own index; level 3 (no subtree) is its department queue. */
const subtreeIndex = (level: number) => (level === 1 ? ('bySubtreeLevel1' as const) : level === 2 ? ('bySubtreeLevel2' as const) : ('byDepartment' as const));
const subtreePart = (level: number) => (level === 1 ? 'holderLevel1' : level === 2 ? 'holderLevel2' : 'assignedDepartmentId');
const OPEN_STATUSES = CASE_STATUSES.filter(isOpen);

/**
 * The case store on the single table (see `shared/data/entities/cases.ts` for keys and indexes). Each
 * transaction names its writes, and a cancelled one is answered by those names.
 *
 * `departments` is the department tree a case's subtree-queue keys are computed from at each write
 * (the container's reference cache; by default a cache of its own that checks the version at each read).
 */
export function createCaseStore(table: Table, departments: () => Promise<DepartmentTree> = createReferenceCache(createReferenceReads(table)).departments): CaseStore & SubtreeRekeying {
  /** A case's own write in a transition, with the keys of the tree as the container knows it now. */
  const putCaseNow = async (next: Case, expectedVersion: number) => putCase(table, await departments(), next, expectedVersion);
  const itemNow = async (c: Case) => toItem(c, await departments());
  /** A success remembered under its Idempotency-Key (created only if none exists), for 24 h from `at`. */
  const remember = (claim: IdempotencyClaim, caseId: string, at: string) =>
    write.put(table, idempotencyModel, { ...claim, caseId, expiresAt: Math.floor(Date.parse(at) / 1000) + IDEMPOTENCY_TTL_SECONDS }, { create: true });
  const counterWrites = (counters: CounterDelta[]): Array<readonly ['counter', Write]> =>
    counters.map((c) => ['counter' as const, write.update(table, dailyStatsModel, { scope: c.scope, day: c.day }, { add: c.add })]);

  const attachWrites = (caseId: string, attach: PhotoAttachment | undefined): Array<readonly ['photo', Write]> =>
    (attach?.photoKeys ?? []).map((photoKey) => [
      'photo' as const,
      write.update(table, photoModel, { photoKey }, {
        set: { attachedTo: caseId },
        remove: ['expiresAt'],
        if: (x) => `${x.eq('status', 'ready')} AND ${x.eq('ownerId', attach!.ownerId)} AND ${x.eq('kind', attach!.kind)} AND ${x.notExists('attachedTo')}`,
      }),
    ]);
  /** A photo taken by another case between the check and the write: nothing was written. */
  const photoRace = (failed: Set<string>) => {
    if (failed.has('photo')) throw new ValidationError('A photo was attached elsewhere meanwhile', [{ path: 'photoKeys', message: 'No longer available' }]);
  };

  const page = async (cursor: string | undefined, run: () => Promise<{ items: CaseItem[]; cursor?: string }>) => {
    const { items, cursor: next } = await withCursor(cursor, run);
    return { items: items.map(toCase), ...(next ? { nextCursor: next } : {}) };
  };

  const readDetail = async (caseId: string) => {
    const items = await queryCollection(table, { model: caseModel, parts: { caseId } }, 'caseDetail', { consistent: true });
    const found = items.find((item) => isOf(caseModel, item));
    const events = items.filter((item) => isOf(caseEventModel, item)).map((item) => fromStored(caseEventModel, item));
    return found ? { item: fromStored(caseModel, found), events } : undefined;
  };

  /**
   * One case's subtree keys as `tree` gives them, if they differ: the whole item again, conditional on
   * its version (nothing else changes, the version neither). The index copy may lag: on a failed
   * condition the case is read again (consistently) and checked again, at most a few times.
   */
  async function rekeyCase(listed: CaseItem, tree: DepartmentTree): Promise<boolean> {
    let item: CaseItem | undefined = listed;
    for (let attempt = 0; item && attempt < 5; attempt++) {
      const next = toItem(toCase(item), tree);
      if (next.holderLevel1 === item.holderLevel1 && next.holderLevel2 === item.holderLevel2) return false;
      const version = item.version;
      try {
        await send(table, write.put(table, caseModel, next, { if: (x) => x.eq('version', version) }));
        return true;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      item = await get(table, caseModel, { caseId: item.caseId }, { consistent: true });
    }
    return false;
  }

  return {
    async createCase({ case: c, event, counters, idempotency, attach, account }) {
      const item = await itemNow(c);
      const result = await withConflictRetry(() =>
        transact(table, [
          ...(account ? [notCancelled(table, account)] : []),
          ...(idempotency ? [['idempotency', remember(idempotency, c.id, c.createdAt)] as const] : []),
          ['case', write.put(table, caseModel, item, { create: true })] as const,
          ['event', write.put(table, caseEventModel, event, { create: true })] as const,
          ...counterWrites(counters),
          ...attachWrites(c.id, attach),
        ]),
      );
      if (!result.canceled) return { created: true };
      const failed = failedWrites(result);
      throwIfAccountCancelled(failed);
      if (idempotency && failed.has('idempotency')) {
        const stored = await get(table, idempotencyModel, { callerId: idempotency.callerId, scope: idempotency.scope, key: idempotency.key }, { consistent: true });
        if (stored) return { created: false, existing: { caseId: stored.caseId, bodyHash: stored.bodyHash } };
      }
      photoRace(failed);
      throwIfOnlyConflicts(result);
      throw new Error(`Case creation cancelled: ${describeCancellation(result)}`);
    },

    async createFromTicket({ case: c, event, counters, ticketId, webhookId, bodyHash }) {
      const item = await itemNow(c);
      const result = await withConflictRetry(() =>
        transact(table, [
          ['ticket' as const, write.put(table, hotlineTicketModel, { ticketId, caseId: c.id, webhookId, receivedAt: c.createdAt, bodyHash }, { create: true })],
          ['case', write.put(table, caseModel, item, { create: true })] as const,
          ['event', write.put(table, caseEventModel, event, { create: true })] as const,
          ...counterWrites(counters),
        ]),
      );
      if (!result.canceled) return { created: true, caseId: c.id };
      if (failedWrites(result).has('ticket')) {
        const stored = await get(table, hotlineTicketModel, { ticketId }, { consistent: true });
        if (stored) return { created: false, caseId: stored.caseId, bodyHash: stored.bodyHash };
      }
      throwIfOnlyConflicts(result);
      throw new Error(`Hotline case creation cancelled: ${describeCancellation(result)}`);
    },

    async getIdempotency({ callerId, scope, key }, options = {}) {
      const stored = (await get(table, idempotencyModel, { callerId, scope, key }, { consistent: true })) ?? (options.legacy ? await get(table, legacyIdempotencyModel, { callerId, key }, { consistent: true }) : undefined);
      return stored ? { caseId: stored.caseId, bodyHash: stored.bodyHash } : undefined;
    },

    async getCase(id) {
      const item = await get(table, caseModel, { caseId: id }, { consistent: true });
      return item ? toCase(item) : undefined;
    },

    async getCaseWithTimeline(id) {
      const detail = await readDetail(id);
      if (!detail) return undefined;
      return { case: toCase(detail.item), timeline: detail.events.sort((a, b) => a.seq - b.seq) };
    },

    async applyTransition({ expectedVersion, next, event, earlierEvents = [], counters, attach, merge, task, idempotency }) {
      const tree = await departments();
      const result = await withConflictRetry(() =>
        transact(table, [
          ['case', putCase(table, tree, next, expectedVersion)] as const,
          ['event', write.put(table, caseEventModel, event, { create: true })] as const,
          ...counterWrites(counters),
          ...attachWrites(next.id, attach),
          ...(merge
            ? ([
                ['target', putCase(table, tree, merge.target.next, merge.target.expectedVersion)],
                // Put, not create: a case merged, reopened elsewhere and merged again stays one follower.
                ['follower', write.put(table, caseFollowerModel, { caseId: merge.target.next.id, followerKey: followerKey(merge.follower), follower: merge.follower, via: 'merge', at: event.at })],
              ] as const)
            : []),
          ...(task ? [['task', 'put' in task ? write.put(table, taskModel, task.put) : write.delete(table, taskModel, { caseId: task.remove.caseId })] as const] : []),
          ...earlierEvents.map((earlier) => ['earlier-event', write.put(table, caseEventModel, earlier, { create: true })] as const),
          ...(idempotency ? [['idempotency', remember(idempotency, next.id, next.updatedAt)] as const] : []),
        ]),
      );
      if (!result.canceled) return true;
      // A failed version condition (this case's or the merge target's) is a lost race (409); contention
      // that outlasted the retries is 503.
      const failed = failedWrites(result);
      // A key remembered meanwhile is another request's success with it (the caller reads it: replay or 409).
      if (failed.has('case') || failed.has('event') || failed.has('target') || failed.has('idempotency')) return false;
      throwIfOnlyConflicts(result);
      photoRace(failed);
      throw new Error(`Transition cancelled: ${describeCancellation(result)}`);
    },

    async addSupporter({ expectedVersion, next, follower, at }) {
      const own = await putCaseNow(next, expectedVersion);
      const result = await withConflictRetry(() =>
        transact(table, [
          ...(follower.kind === 'user' ? [notCancelled(table, follower.userId)] : []),
          [
            'follower',
            write.put(table, caseFollowerModel, { caseId: next.id, followerKey: followerKey(follower), follower, via: 'support', at, ...(follower.kind === 'user' ? { followerUserId: follower.userId } : {}) }, { create: true }),
          ] as const,
          ['case', own] as const,
        ]),
      );
      if (!result.canceled) return 'added';
      const failed = failedWrites(result);
      throwIfAccountCancelled(failed);
      if (failed.has('follower')) return 'already-following';
      if (failed.has('case')) return 'lost-race';
      throwIfOnlyConflicts(result);
      throw new Error(`Support cancelled: ${describeCancellation(result)}`);
    },

    async listTasks(assigneeId, { limit, cursor }) {
      const found = await withCursor(cursor, () => query(table, taskModel, 'byAssignee', { assigneeId }, { order: 'asc', limit, cursor }));
      const cases = found.items.length ? await getMany(table, caseModel, found.items.map((t) => ({ caseId: t.caseId }))) : [];
      const byId = new Map(cases.map((item) => [item.caseId, toCase(item)]));
      return {
        items: found.items.flatMap((task) => {
          const c = byId.get(task.caseId);
          return c ? [{ task, case: c }] : [];
        }),
        ...(found.cursor ? { nextCursor: found.cursor } : {}),
      };
    },

    async listFollowers(caseId) {
      return (await query(table, caseFollowerModel, 'byCase', { caseId }, { all: true })).items.map((item) => item.follower as Follower);
    },

    async listOpenInRanges(ranges) {
      // `to` + '~' sorts after every stored hash that starts with `to` ('~' follows the base-32 digits) and before the next cell's.
      const pages = await Promise.all(ranges.map((range) => query(table, caseModel, 'byGeoCell', { geoArea: range.area }, { between: [{ geohash: range.from }, { geohash: `${range.to}~` }], all: true })));
      return pages.flatMap((p) => p.items.map(toCase));
    },

    async nextCaseNumber(year) {
      const item = await updateAndGet(table, caseSequenceModel, { year }, { add: { value: 1 } });
      return item.value ?? 1;
    },

    async findByCaseNumber(caseNumber) {
      // Numbers are unique (one atomic sequence per year), so the index holds at most one item per number.
      const { items } = await query(table, caseModel, 'byNumber', { caseNumber }, { limit: 1 });
      return items[0] ? toCase(items[0]) : undefined;
    },

    async forgetReporter({ caseId, reporterId, displayName }) {
      const detail = await readDetail(caseId);
      const item = detail?.item;
      if (!detail || !item || item.reporterId !== reporterId) return true;
      const events = detail.events.filter((e) => (e.actor as { id?: string } | undefined)?.id === reporterId);
      // The person's photos of the case no longer name them either (the owner only mattered for attaching).
      const keys = [...new Set([...(item.beforePhotoKeys ?? []), ...(item.afterPhotoKeys ?? [])])];
      const photos = keys.length ? (await getMany(table, photoModel, keys.map((photoKey) => ({ photoKey })), { consistent: true })).filter((p) => p.ownerId === reporterId) : [];
      const own = await putCaseNow({ ...toCase(item), reporterId: undefined, version: item.version + 1 }, item.version);
      const result = await withConflictRetry(() =>
        transact(table, [
          // The whole item again (its index keys follow: no reporter key, out of the person's list).
          ['case', own] as const,
          ...events.map(
            (event) => ['event', write.update(table, caseEventModel, { caseId, seq: event.seq }, { set: { actor: { role: event.actor.role, displayName } as CaseEvent['actor'] }, mustExist: true })] as const,
          ),
          ...photos.map((p) => ['photo', write.update(table, photoModel, { photoKey: p.photoKey }, { set: { ownerId: NO_OWNER }, mustExist: true })] as const),
        ]),
      );
      if (!result.canceled) return true;
      if (failedWrites(result).has('case')) return false;
      throwIfOnlyConflicts(result);
      throw new Error(`Reporter removal cancelled: ${describeCancellation(result)}`);
    },

    async forgetFollower(userId) {
      const { items } = await query(table, caseFollowerModel, 'byUser', { followerUserId: userId }, { all: true });
      for (const item of items) await send(table, write.delete(table, caseFollowerModel, { caseId: item.caseId, followerKey: item.followerKey }));
      return items.length;
    },

    async listByReporter(reporterId, { limit, cursor }) {
      return page(cursor, () => query(table, caseModel, 'byReporter', { reporterKey: reporterId }, { order: 'desc', limit, cursor }));
    },

    async listByStatus(status, { limit, cursor }) {
      return page(cursor, () => query(table, caseModel, 'byStatus', { status }, { order: 'asc', limit, cursor }));
    },

    async listUrgentByStatus(status, { limit, cursor }) {
      return page(cursor, () => query(table, caseModel, 'urgentByStatus', { status }, { order: 'asc', limit, cursor }));
    },

    async listBySubtree(department, status, { limit, cursor }) {
      const parts = { [subtreePart(department.level)]: department.id, ...(status ? { status } : {}) };
      return page(cursor, () => query(table, caseModel, subtreeIndex(department.level), parts, { order: 'asc', limit, cursor }));
    },

    async rekeySubtree(departmentId, tree) {
      const progress = { checked: 0, rewritten: 0 };
      if (!tree.get(departmentId)) return progress;
      // Department by department (gsi3), so a department whose level changed is found under its own id.
      for (const department of [tree.require(departmentId), ...tree.descendants(departmentId)]) {
        for (const status of OPEN_STATUSES) {
          let cursor: string | undefined;
          do {
            const found = await query(table, caseModel, 'byDepartment', { assignedDepartmentId: department.id, status }, { order: 'asc', limit: 100, cursor });
            // A page's cases in parallel (≤ 100 writes in flight).
            const rewritten = await Promise.all(found.items.map((listed) => rekeyCase(listed, tree)));
            progress.checked += found.items.length;
            progress.rewritten += rewritten.filter(Boolean).length;
            cursor = found.cursor;
          } while (cursor);
        }
      }
      return progress;
    },
  };
}

/** Re-keying the open cases of a department's subtree after the tree changed (a department moved). */
export interface SubtreeRekeying {
  /**
   * Gives every open case held by `departmentId` or below it the subtree-queue keys of `tree` (read
   * consistently after the move). Idempotent: a case whose keys are right is not written, so a second
   * run writes nothing, and a run that stopped half-way is finished by running it again.
   */
  rekeySubtree(departmentId: string, tree: DepartmentTree): Promise<{ checked: number; rewritten: number }>;
}
