import { followerKey, isOpen, type Case, type CaseEvent, type Follower } from '#shared/domain/cases/model';
import type { CaseStore, CounterDelta, PhotoAttachment } from '#shared/domain/cases/ports';
import { geoKeys } from '#shared/domain/geo/nearness';
import { ValidationError } from '#shared/domain/errors';
import { notCancelled, throwIfAccountCancelled } from './accounts.ts';
import { describeCancellation, failedWrites, throwIfOnlyConflicts, withConflictRetry, withCursor } from './conditions.ts';
import { caseEventModel, caseFollowerModel, caseModel, caseSequenceModel, dailyStatsModel, fieldTaskModel, hotlineTicketModel, idempotencyModel, type CaseItem } from './entities/cases.ts';
import { photoModel } from './entities/photo.ts';
import { fromStored, isOf } from './model.ts';
import { get, getMany, query, queryCollection, send, transact, updateAndGet, write, type Table, type Write } from './operations.ts';

const NO_REPORTER = '-';
/** The owner of a cancelled person's photos. */
const NO_OWNER = '-';
const OFF_INDEX = '-';

/** The reported-by-date index's partition of a case: the UTC month of its `createdAt`. */
export const reportedMonthOf = (createdAt: string) => createdAt.slice(0, 7);

export const toItem = (c: Case): CaseItem => {
  const { id, ...rest } = c;
  return {
    ...rest,
    caseId: id,
    reporterKey: c.reporterId ?? NO_REPORTER,
    assignedDepartmentId: c.assignment?.departmentId ?? '-',
    // On the nearness index only while open; `-` keeps it off.
    ...(c.location && isOpen(c.status) ? geoKeys(c.location) : { geohash: OFF_INDEX, geoArea: OFF_INDEX }),
    reportedMonth: reportedMonthOf(c.createdAt),
  };
};

export const toCase = (item: CaseItem): Case => {
  const { caseId, reporterKey: _r, assignedDepartmentId: _a, reportedMonth: _m, geohash: _g, geoArea: _ga, ...rest } = item;
  return { ...rest, id: caseId };
};

/** A case's own write in a transition: the whole item, if the stored one is still the version read. */
const putCase = (table: Table, next: Case, expectedVersion: number) => write.put(table, caseModel, toItem(next), { if: (x) => x.eq('version', expectedVersion) });

/**
 * The case store on the single table (see `shared/data/entities/cases.ts` for keys and indexes). Each
 * transaction names its writes, and a cancelled one is answered by those names.
 */
export function createCaseStore(table: Table): CaseStore {
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

  return {
    async createCase({ case: c, event, counters, idempotency, attach, account }) {
      const result = await withConflictRetry(() =>
        transact(table, [
          ...(account ? [notCancelled(table, account)] : []),
          ...(idempotency
            ? [['idempotency', write.put(table, idempotencyModel, { ...idempotency, caseId: c.id, expiresAt: Math.floor(Date.parse(c.createdAt) / 1000) + 24 * 3600 }, { create: true })] as const]
            : []),
          ['case', write.put(table, caseModel, toItem(c), { create: true })] as const,
          ['event', write.put(table, caseEventModel, event, { create: true })] as const,
          ...counterWrites(counters),
          ...attachWrites(c.id, attach),
        ]),
      );
      if (!result.canceled) return { created: true };
      const failed = failedWrites(result);
      throwIfAccountCancelled(failed);
      if (idempotency && failed.has('idempotency')) {
        const stored = await get(table, idempotencyModel, { callerId: idempotency.callerId, key: idempotency.key }, { consistent: true });
        if (stored) return { created: false, existing: { caseId: stored.caseId, bodyHash: stored.bodyHash } };
      }
      photoRace(failed);
      throwIfOnlyConflicts(result);
      throw new Error(`Case creation cancelled: ${describeCancellation(result)}`);
    },

    async createFromTicket({ case: c, event, counters, ticketId, webhookId, bodyHash }) {
      const result = await withConflictRetry(() =>
        transact(table, [
          ['ticket' as const, write.put(table, hotlineTicketModel, { ticketId, caseId: c.id, webhookId, receivedAt: c.createdAt, bodyHash }, { create: true })],
          ['case', write.put(table, caseModel, toItem(c), { create: true })] as const,
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

    async getIdempotency(callerId, key) {
      const stored = await get(table, idempotencyModel, { callerId, key }, { consistent: true });
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

    async applyTransition({ expectedVersion, next, event, earlierEvents = [], counters, attach, merge, task }) {
      const result = await withConflictRetry(() =>
        transact(table, [
          ['case', putCase(table, next, expectedVersion)] as const,
          ['event', write.put(table, caseEventModel, event, { create: true })] as const,
          ...counterWrites(counters),
          ...attachWrites(next.id, attach),
          ...(merge
            ? ([
                ['target', putCase(table, merge.target.next, merge.target.expectedVersion)],
                // Put, not create: a case merged, reopened elsewhere and merged again stays one follower.
                ['follower', write.put(table, caseFollowerModel, { caseId: merge.target.next.id, followerKey: followerKey(merge.follower), follower: merge.follower, via: 'merge', at: event.at })],
              ] as const)
            : []),
          ...(task ? [['task', 'put' in task ? write.put(table, fieldTaskModel, task.put) : write.delete(table, fieldTaskModel, { caseId: task.remove.caseId })] as const] : []),
          ...earlierEvents.map((earlier) => ['earlier-event', write.put(table, caseEventModel, earlier, { create: true })] as const),
        ]),
      );
      if (!result.canceled) return true;
      // A failed version condition (this case's or the merge target's) is a lost race (409); contention
      // that outlasted the retries is 503.
      const failed = failedWrites(result);
      if (failed.has('case') || failed.has('event') || failed.has('target')) return false;
      throwIfOnlyConflicts(result);
      photoRace(failed);
      throw new Error(`Transition cancelled: ${describeCancellation(result)}`);
    },

    async addSupporter({ expectedVersion, next, follower, at }) {
      const result = await withConflictRetry(() =>
        transact(table, [
          ...(follower.kind === 'user' ? [notCancelled(table, follower.userId)] : []),
          [
            'follower',
            write.put(table, caseFollowerModel, { caseId: next.id, followerKey: followerKey(follower), follower, via: 'support', at, ...(follower.kind === 'user' ? { followerUserId: follower.userId } : {}) }, { create: true }),
          ] as const,
          ['case', putCase(table, next, expectedVersion)] as const,
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

    async listFieldTasks(supervisorId) {
      return (await query(table, fieldTaskModel, 'bySupervisor', { supervisorId }, { all: true, order: 'asc' })).items;
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
      const result = await withConflictRetry(() =>
        transact(table, [
          // The whole item again (its index keys follow: no reporter key, out of the person's list).
          ['case', putCase(table, { ...toCase(item), reporterId: undefined, version: item.version + 1 }, item.version)] as const,
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

    async listByDepartment(departmentId, status, { limit, cursor }) {
      return page(cursor, () => query(table, caseModel, 'byDepartment', { assignedDepartmentId: departmentId, ...(status ? { status } : {}) }, { order: 'asc', limit, cursor }));
    },
  };
}
