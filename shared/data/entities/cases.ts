import type { Case, CaseEvent, Follower } from '#shared/domain/cases/model';
import type { Counter } from '#shared/domain/cases/ports';
import type { CaseTask } from '#shared/domain/cases/tasks';
import { defineModel } from '../model.ts';

/** A case as stored: the domain's case under `caseId`, with the parts of its index keys. */
export type CaseItem = Omit<Case, 'id'> & {
  caseId: string;
  /** The UTC month of `createdAt` (`2026-05`): the partition of the reported-by-date index. */
  reportedMonth: string;
  /** `reporterId`, or `-` when there is none (hotline), so the reporter index stays total. */
  reporterKey: string;
  /** The assigned department, or `-` when unassigned (then the department index skips the item). */
  assignedDepartmentId: string;
  /**
   * The holder's department at level 1 (the city bureau above it, or itself), or `-`: the partition of
   * the level-1 subtree queue (gsi8). Absent on cases stored before the subtree queues (reindex).
   */
  holderLevel1?: string | undefined;
  /** The holder's department at level 2 (its district bureau or specialist office, or itself), or `-` (gsi9). */
  holderLevel2?: string | undefined;
  /** Open cases with a location: their geohash; otherwise `-` (then the nearness index skips the item). */
  geohash: string;
  /** The geohash's first characters (the nearness index's partition), or `-`. */
  geoArea: string;
};

/**
 * A case and its timeline share one partition (collection `caseDetail`): the case detail with its whole
 * timeline is ONE Query. Secondary indexes serve the lists: the reporter's cases newest first (gsi1),
 * the status queue oldest first (gsi2), a department's queue by status (gsi3, sparse: only
 * assigned cases carry it), the lookup by case number (gsi4, sparse: filed cases only), every case by
 * the time it was reported (gsi6), open cases by geohash (gsi5, sparse) and urgent cases by status
 * (gsi7, sparse: only urgent cases carry it), read before the status queue so that urgent cases come first,
 * and the subtree queues of level-1 and level-2 departments (gsi8, gsi9; sparse: assigned cases only),
 * sorted as the department queue, so that a dispatcher's whole subtree is one Query per page.
 */
export const caseModel = defineModel<CaseItem>()({
  entity: 'case',
  indexes: {
    byId: { collection: 'caseDetail', pk: ['caseId'], sk: [] },
    byReporter: { index: 'gsi1', pk: ['reporterKey'], sk: ['createdAt', 'caseId'] },
    byStatus: { index: 'gsi2', pk: ['status'], sk: ['createdAt', 'caseId'] },
    byDepartment: { index: 'gsi3', pk: ['assignedDepartmentId'], sk: ['status', 'createdAt', 'caseId'], when: (c) => Boolean(c.assignedDepartmentId) && c.assignedDepartmentId !== '-' },
    /** The cases held by a level-1 department or below it, by status, oldest first (same sort key as gsi3). */
    bySubtreeLevel1: { index: 'gsi8', pk: ['holderLevel1'], sk: ['status', 'createdAt', 'caseId'], when: (c) => Boolean(c.holderLevel1) && c.holderLevel1 !== '-' },
    /** The cases held by a level-2 department or below it (its street brigades), as gsi8. */
    bySubtreeLevel2: { index: 'gsi9', pk: ['holderLevel2'], sk: ['status', 'createdAt', 'caseId'], when: (c) => Boolean(c.holderLevel2) && c.holderLevel2 !== '-' },
    /** A case by its number (`GET /v1/cases?caseNumber=`; sparse: only filed cases have one). */
    byNumber: { index: 'gsi4', pk: ['caseNumber'], sk: [], when: (c) => Boolean(c.caseNumber) },
    urgentByStatus: { index: 'gsi7', pk: ['status'], sk: ['createdAt', 'caseId'], when: (c) => c.priority === 'urgent' },
    /**
     * Cases by the time they were reported (gsi6): one partition per UTC month, sorted by `createdAt`,
     * so a date window of up to 90 days is at most four Queries (Open311 lists, exports by date).
     */
    byReported: { index: 'gsi6', pk: ['reportedMonth'], sk: ['createdAt', 'caseId'] },
    /** Open cases by geohash (gsi5, sparse): a run of consecutive cells is one Query, a range of the sort key (shared/domain/geo/nearness.ts). */
    byGeoCell: { index: 'gsi5', pk: ['geoArea'], sk: ['geohash', 'caseId'], when: (c) => Boolean(c.geoArea) && c.geoArea !== '-' },
  },
});

/** A timeline entry: in the case's partition, after the case in the `caseDetail` collection, by number. */
export const caseEventModel = defineModel<CaseEvent>()({
  entity: 'caseEvent',
  indexes: { bySeq: { collection: 'caseDetail', pk: ['caseId'], sk: ['seq'] } },
  padding: { seq: 5 },
});

/**
 * Who follows a case besides its reporter ("me too" supporters, merged cases): one item each, created
 * conditionally, so a person supports a case once. Same partition as the case, outside the `caseDetail`
 * collection (the case detail does not read them). A person's items are also on gsi1 (`byUser`).
 */
export const caseFollowerModel = defineModel<{ caseId: string; followerKey: string; follower: Follower; via: 'support' | 'merge'; at: string; followerUserId?: string | undefined }>()({
  entity: 'caseFollower',
  indexes: {
    byCase: { pk: ['caseId'], sk: ['followerKey'] },
    /** The cases a person follows (gsi1; sparse: people only), so that cancelling the account removes them. */
    byUser: { index: 'gsi1', pk: ['followerUserId'], sk: ['caseId'], when: (f) => Boolean(f.followerUserId) },
  },
});

/**
 * A person's open task on a case (我的任务, `shared/domain/cases/tasks.ts`): one item per case while the
 * case gives a task — its open field check's supervisor, or its assignee while `dispatched` — written,
 * moved (put again under another person) and deleted in the case's own transactions. gsi4 (`byAssignee`):
 * a person's tasks, urgent first (`rank` 0), then by due time, so that `GET /v1/me/tasks` is one Query per
 * page. (Replaces the `fieldTask` items of supervisors' checks; `city reindex` writes these from the cases.)
 */
export const taskModel = defineModel<CaseTask>()({
  entity: 'task',
  indexes: {
    byCase: { pk: ['caseId'], sk: [] },
    byAssignee: { index: 'gsi4', pk: ['assigneeId'], sk: ['rank', 'dueAt', 'caseId'] },
  },
});

/** The task items of field checks stored before `task` items (read by `city reindex` only, which deletes them). */
export const legacyFieldTaskEntity = 'fieldTask';

/** Per-year case number counter (【2026】字第【123】号). */
export const caseSequenceModel = defineModel<{ year: number; value?: number }>()({
  entity: 'caseSequence',
  indexes: { byYear: { pk: ['year'], sk: [] } },
});

/**
 * A remembered success of an Idempotency-Key (shared/domain/cases/idempotency.ts), per caller, method
 * and path (`scope`): the body's hash and the case it created or changed (TTL 24 h).
 */
export const idempotencyModel = defineModel<{ callerId: string; scope: string; key: string; bodyHash: string; caseId: string; expiresAt: number }>()({
  entity: 'idempotency',
  indexes: { byKey: { pk: ['callerId', 'scope', 'key'], sk: [] } },
});

/**
 * A report's record as written before keys were scoped (per caller only): still read for a report's key
 * not found under its scope, until the last of them expires (24 h after the upgrade; then remove this).
 */
export const legacyIdempotencyModel = defineModel<{ callerId: string; key: string; bodyHash: string; caseId: string; expiresAt: number }>()({
  entity: 'idempotency',
  indexes: { byKey: { pk: ['callerId', 'key'], sk: [] } },
});

/** Per day × scope counters, written in the same transaction as each transition (statistics read them). */
export type DailyStatsItem = { scope: string; day: string } & Partial<Record<Counter, number>>;
export const dailyStatsModel = defineModel<DailyStatsItem>()({
  entity: 'dailyStats',
  indexes: { byScope: { pk: ['scope'], sk: ['day'] } },
});

/** One item per 12345 ticket id: claimed in the same transaction as its case (dedupe of repeats and replays). */
export const hotlineTicketModel = defineModel<{
  ticketId: string;
  caseId: string;
  webhookId: string;
  receivedAt: string;
  /** SHA-256 of the ticket as first received: the same ticketId with another body is a 409. */
  bodyHash?: string | undefined;
}>()({
  entity: 'hotlineTicket',
  indexes: { byTicket: { pk: ['ticketId'], sk: [] } },
});
