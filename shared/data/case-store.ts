import { followerKey, isOpen, type Case, type CaseEvent, type Follower } from '#shared/domain/cases/model';
import type { CaseStore, CounterDelta, PhotoAttachment } from '#shared/domain/cases/ports';
import { geoKeys } from '#shared/domain/geo/nearness';
import { ValidationError } from '#shared/domain/errors';
import { isConditionFailure, throwIfOnlyConflicts, withConflictRetry, withCursor } from './conditions.ts';
import type { DbOf, LazyDb } from './db.ts';
import { caseEntity, caseEventEntity, caseFollowerEntity, caseSequenceEntity, dailyStatsEntity, fieldTaskEntity, hotlineTicketEntity, idempotencyEntity } from './entities/cases.ts';
import { photoEntity } from './entities/photo.ts';

/** The entities the case store reads and writes (its transactions span them; `caseDetail` is case + caseEvent). */
export const CASE_ENTITIES = {
  case: caseEntity,
  caseEvent: caseEventEntity,
  caseSequence: caseSequenceEntity,
  caseFollower: caseFollowerEntity,
  fieldTask: fieldTaskEntity,
  idempotency: idempotencyEntity,
  dailyStats: dailyStatsEntity,
  photo: photoEntity,
  hotlineTicket: hotlineTicketEntity,
};
/** The `caseDetail` collection's entities: a case and its timeline, read in one query. */
export const CASE_DETAIL_ENTITIES = { case: caseEntity, caseEvent: caseEventEntity };

type CaseService = LazyDb<typeof CASE_ENTITIES>;
/**
 * Where the case store reads `caseDetail` (only its `go`, typed so: ElectroDB types a collection's
 * `where` over every entity of the Service, and tests pass the whole table's).
 */
export type CaseDetailDb = {
  collections: { caseDetail: (key: { caseId: string }) => Pick<ReturnType<LazyDb<typeof CASE_DETAIL_ENTITIES>['collections']['caseDetail']>, 'go'> };
};
export type CaseDb = DbOf<typeof CASE_ENTITIES> & CaseDetailDb;

type TransactionEntities = Parameters<Parameters<CaseService['transaction']['write']>[0]>[0];

const NO_REPORTER = '-';
const OFF_INDEX = '-';

/** The reported-by-date index's partition of a case: the UTC month of its `createdAt`. */
export const reportedMonthOf = (createdAt: string) => createdAt.slice(0, 7);

const toItem = (c: Case) => {
  const { id, ...rest } = c;
  return {
    ...rest,
    caseId: id,
    reporterKey: c.reporterId ?? NO_REPORTER,
    assignedDepartmentId: c.assignment?.departmentId ?? '-',
    // On the nearness index only while open; `-` keeps it off (ElectroDB wants every composite present).
    ...(c.location && isOpen(c.status) ? geoKeys(c.location) : { geohash: OFF_INDEX, geoArea: OFF_INDEX }),
    reportedMonth: reportedMonthOf(c.createdAt),
  };
};

type CaseItem = Awaited<ReturnType<ReturnType<CaseService['entities']['case']['get']>['go']>>['data'];

export const toCase = (item: NonNullable<CaseItem>): Case => {
  const { caseId, reporterKey: _r, assignedDepartmentId: _a, reportedMonth: _m, geohash: _g, geoArea: _ga, ...rest } = item;
  return { ...rest, id: caseId } as Case;
};

/** Per-item cancellation codes of a transaction (ElectroDB types them as a tuple of the writes). */
const codesOf = (result: { data: unknown }) => (result.data as Array<{ code?: string }>).map((d) => d.code);

const toEvent = (item: Record<string, unknown>): CaseEvent => item as unknown as CaseEvent;

/**
 * The case store on the single table (see `shared/data/entities/cases.ts` for keys and indexes). `detail`
 * reads the `caseDetail` collection: a Service of its two entities only, so that reading a case's detail
 * does not build every entity the store writes (the whole table's Db serves as both in tests).
 */
/**
 * Rewrites every stored case (a Scan, page by page) with the keys of today's indexes, for a table whose
 * items were written before an index existed (case number, reported month, nearness, urgent queue).
 * Each write is conditional on the item's version: a case that changed meanwhile was rewritten by its
 * own transition. Run once after a deploy that adds an index (docs/deploy.md).
 */
export async function reindexCases(db: DbOf<{ case: typeof caseEntity }>, onPage?: (progress: { scanned: number; rewritten: number }) => void) {
  const progress = { scanned: 0, rewritten: 0 };
  let cursor: string | null = null;
  do {
    const page: { data: Array<NonNullable<CaseItem>>; cursor: string | null } = await db.entities.case.scan.go({ cursor, limit: 100 });
    for (const item of page.data) {
      progress.scanned++;
      try {
        await db.entities.case
          .put(toItem(toCase(item)))
          .where((a, { eq }) => eq(a.version, item.version))
          .go({ response: 'none' });
        progress.rewritten++;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    onPage?.(progress);
    cursor = page.cursor;
  } while (cursor);
  return progress;
}

export function createCaseStore(db: CaseDb, detail: CaseDetailDb = db): CaseStore {
  const entities = db.entities; // built at first use (see getDb)

  const counterWrites = (e: TransactionEntities, counters: CounterDelta[]) =>
    counters.map((c) => e.dailyStats.update({ scope: c.scope, day: c.day }).add(c.add).commit());

  const attachWrites = (e: TransactionEntities, caseId: string, attach: PhotoAttachment | undefined) =>
    (attach?.photoKeys ?? []).map((photoKey) =>
      e.photo
        .update({ photoKey })
        .set({ attachedTo: caseId })
        .remove(['expiresAt'])
        .where((a, { eq, notExists }) => `${eq(a.status, 'ready')} AND ${eq(a.ownerId, attach!.ownerId)} AND ${eq(a.kind, attach!.kind)} AND ${notExists(a.attachedTo)}`)
        .commit(),
    );
  /** A photo taken by another case between the check and the write: nothing was written. */
  const photoRace = (codes: Array<string | undefined>, firstPhoto: number) => {
    if (codes.slice(firstPhoto).includes('ConditionalCheckFailed')) {
      throw new ValidationError('A photo was attached elsewhere meanwhile', [{ path: 'photoKeys', message: 'No longer available' }]);
    }
  };

  const page = async <T>(cursor: string | undefined, run: () => Promise<{ data: T[]; cursor: string | null }>) => {
    const { data, cursor: next } = await withCursor(cursor, run);
    return { items: data, ...(next ? { nextCursor: next } : {}) };
  };

  return {
    async createCase({ case: c, event, counters, idempotency, attach }) {
      const result = await withConflictRetry(() =>
        db.transaction
          .write((e) => [
            ...(idempotency
              ? [e.idempotency.create({ ...idempotency, caseId: c.id, expiresAt: Math.floor(Date.parse(c.createdAt) / 1000) + 24 * 3600 }).commit()]
              : []),
            e.case.create(toItem(c)).commit(),
            e.caseEvent.create(event).commit(),
            ...counterWrites(e, counters),
            ...attachWrites(e, c.id, attach),
          ])
          .go(),
      );
      if (!result.canceled) return { created: true };
      const codes = codesOf(result);
      if (idempotency && codes[0] === 'ConditionalCheckFailed') {
        const { data } = await db.entities.idempotency.get({ callerId: idempotency.callerId, key: idempotency.key }).go({ consistent: true });
        if (data) return { created: false, existing: { caseId: data.caseId, bodyHash: data.bodyHash } };
      }
      photoRace(codes, (idempotency ? 3 : 2) + counters.length);
      throwIfOnlyConflicts(result);
      throw new Error(`Case creation cancelled: ${codes.join(',')}`);
    },

    async createFromTicket({ case: c, event, counters, ticketId, webhookId, bodyHash }) {
      const result = await withConflictRetry(() =>
        db.transaction
          .write((e) => [
            e.hotlineTicket.create({ ticketId, caseId: c.id, webhookId, receivedAt: c.createdAt, bodyHash }).commit(),
            e.case.create(toItem(c)).commit(),
            e.caseEvent.create(event).commit(),
            ...counterWrites(e, counters),
          ])
          .go(),
      );
      if (!result.canceled) return { created: true, caseId: c.id };
      if (codesOf(result)[0] === 'ConditionalCheckFailed') {
        const { data } = await db.entities.hotlineTicket.get({ ticketId }).go({ consistent: true });
        if (data) return { created: false, caseId: data.caseId, bodyHash: data.bodyHash };
      }
      throwIfOnlyConflicts(result);
      throw new Error(`Hotline case creation cancelled: ${codesOf(result).join(',')}`);
    },

    async getIdempotency(callerId, key) {
      const { data } = await db.entities.idempotency.get({ callerId, key }).go({ consistent: true });
      return data ? { caseId: data.caseId, bodyHash: data.bodyHash } : undefined;
    },

    async getCase(id) {
      const { data } = await entities.case.get({ caseId: id }).go({ consistent: true });
      return data ? toCase(data) : undefined;
    },

    async getCaseWithTimeline(id) {
      const { data } = await detail.collections.caseDetail({ caseId: id }).go({ pages: 'all', consistent: true });
      const item = data.case[0];
      if (!item) return undefined;
      const timeline = data.caseEvent.map((e) => toEvent(e)).sort((a, b) => a.seq - b.seq);
      return { case: toCase(item), timeline };
    },

    async applyTransition({ expectedVersion, next, event, earlierEvents = [], counters, attach, merge, task }) {
      const result = await withConflictRetry(() =>
        db.transaction
          .write((e) => [
            e.case
              .put(toItem(next))
              .where((a, { eq }) => eq(a.version, expectedVersion))
              .commit(),
            e.caseEvent.create(event).commit(),
            ...counterWrites(e, counters),
            ...attachWrites(e, next.id, attach),
            ...(merge
              ? [
                  e.case
                    .put(toItem(merge.target.next))
                    .where((a, { eq }) => eq(a.version, merge.target.expectedVersion))
                    .commit(),
                  // Put, not create: a case merged, reopened elsewhere and merged again stays one follower.
                  e.caseFollower.put({ caseId: merge.target.next.id, followerKey: followerKey(merge.follower), follower: merge.follower, via: 'merge', at: event.at }).commit(),
                ]
              : []),
            ...(task ? ['put' in task ? e.fieldTask.put(task.put).commit() : e.fieldTask.delete({ caseId: task.remove.caseId }).commit()] : []),
            // Last, so that the positions above stay as they are read below.
            ...earlierEvents.map((earlier) => e.caseEvent.create(earlier).commit()),
          ])
          .go(),
      );
      if (!result.canceled) return true;
      // A failed version condition (this case's or the merge target's) is a lost race (409); contention
      // that outlasted the retries is 503.
      const codes = codesOf(result);
      const targetAt = 2 + counters.length + (attach?.photoKeys.length ?? 0);
      if (codes[0] === 'ConditionalCheckFailed' || codes[1] === 'ConditionalCheckFailed' || (merge && codes[targetAt] === 'ConditionalCheckFailed')) return false;
      throwIfOnlyConflicts(result);
      photoRace(codesOf(result).slice(0, 2 + counters.length + (attach?.photoKeys.length ?? 0)), 2 + counters.length);
      throw new Error(`Transition cancelled: ${codesOf(result).join(',')}`);
    },

    async addSupporter({ expectedVersion, next, follower, at }) {
      const result = await withConflictRetry(() =>
        db.transaction
          .write((e) => [
            e.caseFollower.create({ caseId: next.id, followerKey: followerKey(follower), follower, via: 'support', at }).commit(),
            e.case
              .put(toItem(next))
              .where((a, { eq }) => eq(a.version, expectedVersion))
              .commit(),
          ])
          .go(),
      );
      if (!result.canceled) return 'added';
      const codes = codesOf(result);
      if (codes[0] === 'ConditionalCheckFailed') return 'already-following';
      if (codes[1] === 'ConditionalCheckFailed') return 'lost-race';
      throwIfOnlyConflicts(result);
      throw new Error(`Support cancelled: ${codes.join(',')}`);
    },

    async listFieldTasks(supervisorId) {
      const { data } = await db.entities.fieldTask.query.bySupervisor({ supervisorId }).go({ pages: 'all', order: 'asc' });
      return data;
    },

    async listFollowers(caseId) {
      const { data } = await db.entities.caseFollower.query.byCase({ caseId }).go({ pages: 'all' });
      return data.map((item) => item.follower as Follower);
    },

    async listOpenInRanges(ranges) {
      // `to` + '~' sorts after every stored hash that starts with `to` ('~' follows the base-32 digits) and before the next cell's.
      const pages = await Promise.all(
        ranges.map((range) => entities.case.query.byGeoCell({ geoArea: range.area }).between({ geohash: range.from }, { geohash: `${range.to}~` }).go({ pages: 'all' })),
      );
      return pages.flatMap((p) => p.data.map(toCase));
    },

    async nextCaseNumber(year) {
      const { data } = await entities.caseSequence.update({ year }).add({ value: 1 }).go({ response: 'all_new' });
      return data.value ?? 1;
    },

    async findByCaseNumber(caseNumber) {
      // Numbers are unique (one atomic sequence per year), so the index holds at most one item per number.
      const { data } = await entities.case.query.byNumber({ caseNumber }).go({ limit: 1 });
      return data[0] ? toCase(data[0]) : undefined;
    },

    async forgetReporter({ caseId, reporterId, displayName }) {
      const found = await detail.collections.caseDetail({ caseId }).go({ pages: 'all', consistent: true });
      const item = found.data.case[0];
      if (!item || item.reporterId !== reporterId) return true;
      const events = found.data.caseEvent.filter((e) => (e.actor as { id?: string } | undefined)?.id === reporterId);
      const result = await withConflictRetry(() =>
        db.transaction
          .write((e) => [
            // The whole item again (its index keys follow: no reporter key, out of the person's list).
            e.case
              .put(toItem({ ...toCase(item), reporterId: undefined, version: item.version + 1 }))
              .where((a, { eq }) => eq(a.version, item.version))
              .commit(),
            ...events.map((event) =>
              e.caseEvent
                .patch({ caseId, seq: event.seq })
                .set({ actor: { role: (event.actor as { role: string }).role, displayName } })
                .commit(),
            ),
          ])
          .go(),
      );
      if (!result.canceled) return true;
      if (result.data[0]?.code === 'ConditionalCheckFailed') return false;
      throwIfOnlyConflicts(result);
      throw new Error(`Reporter removal cancelled: ${codesOf(result).join(',')}`);
    },

    async listByReporter(reporterId, { limit, cursor }) {
      const result = await page(cursor, () => entities.case.query.byReporter({ reporterKey: reporterId }).go({ order: 'desc', limit, cursor: cursor ?? null }));
      return { ...result, items: result.items.map(toCase) };
    },

    async listByStatus(status, { limit, cursor }) {
      const result = await page(cursor, () => entities.case.query.byStatus({ status }).go({ order: 'asc', limit, cursor: cursor ?? null }));
      return { ...result, items: result.items.map(toCase) };
    },

    async listUrgentByStatus(status, { limit, cursor }) {
      const result = await page(cursor, () => entities.case.query.urgentByStatus({ status }).go({ order: 'asc', limit, cursor: cursor ?? null }));
      return { ...result, items: result.items.map(toCase) };
    },

    async listByDepartment(departmentId, status, { limit, cursor }) {
      const query = status
        ? entities.case.query.byDepartment({ assignedDepartmentId: departmentId, status })
        : entities.case.query.byDepartment({ assignedDepartmentId: departmentId });
      const result = await page(cursor, () => query.go({ order: 'asc', limit, cursor: cursor ?? null }));
      return { ...result, items: result.items.map(toCase) };
    },
  };
}
