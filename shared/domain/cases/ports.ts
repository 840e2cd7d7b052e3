import type { Case, CaseEvent, Follower } from './model.ts';
import type { CaseTask, TaskWrite } from './tasks.ts';
import type { IdempotencyClaim, IdempotencyRecord } from './idempotency.ts';
import type { GeoRange } from '#shared/domain/geo/nearness';

/**
 * Daily counters (see docs/evaluation.md for what each counts and which indicator uses it). Case-level
 * scopes count events of the day; `due`, `dueClosed` and `dueClosedOnTime` are kept on the day the
 * case's deadline falls (its cohort), so closure rates compare like with like.
 */
export const COUNTERS = [
  'received',
  'filed',
  'rejected',
  'dispatched',
  'handled',
  'handledOnTime',
  'handledLate',
  'closed',
  'closedOnTime',
  'reworked',
  'returned',
  'rated',
  'satisfied',
  'handlingHours',
  'due',
  'dueClosed',
  'dueClosedOnTime',
  'escalated',
  // Exceptions: approved extensions (延期), suspensions (挂账) and voids (作废); manual supervision (督办).
  'extended',
  'suspended',
  'voided',
  'supervised',
  // Duplicates:
  /** Reports merged into another case (they leave dispatched/due, as voided ones: see docs/evaluation.md). */
  'merged',
  // Position evaluation (岗位评价), in the scope of one person (`staff#<userId>`; docs/evaluation.md):
  /** Supervisors: patrol reports made (day reported) and those filed (on the day reported). */
  'reports',
  'validReports',
  /** Supervisors: field checks sent to them, and those answered by their due time (both on the day sent). */
  'checks',
  'checksOnTime',
  /** Agents: cases filed, filed within the filing limit, later voided or merged (all on the filing day). */
  'filings',
  'filingsOnTime',
  'filingsWithdrawn',
  /** Dispatchers (and whoever dispatches): hops dispatched, within the dispatch limit, returned (on the dispatch day). */
  'dispatches',
  'dispatchesOnTime',
  'dispatchesReturned',
  /** Supervisors and handlers: minutes on duty (考勤), added when a span ends, split at local midnights. */
  'minutesOnDuty',
  /** Supervisors and handlers: roll calls (点名) sent to them, and those answered by their due time (both on the day sent). */
  'rollCalls',
  'rollCallsAnsweredOnTime',
  // 照片核查, for the completing handler (`staff#…`) and the department that held the case, on the
  // completion's day (the event processor on `complete`; shown beside the evaluations, never weighed):
  /** After photos of completions, those with any flag, and per flag. */
  'afterPhotos',
  'photosFlagged',
  'photosReused',
  'photosFarFromCase',
  'photosTakenBeforeDispatch',
  'photosNoTime',
] as const;
export type Counter = (typeof COUNTERS)[number];

/** Increments of one day's counters in one scope (`city`, `department#…`, `grid#…`, `category#…`). */
export interface CounterDelta {
  scope: string;
  day: string;
  add: Partial<Record<Counter, number>>;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | undefined;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/**
 * Seals a store's page position into the opaque cursor clients get, bound to one list (`scope`: the list,
 * the caller, the filter), and opens it again — or throws a 400 ValidationError when the cursor was not
 * issued for exactly this scope (tampered, made up, another list's or another caller's).
 */
export interface CursorCodec {
  seal(scope: string, position: string): string;
  open(scope: string, cursor: string): string;
}

/** Reads one page of a list through the codec: the client's cursor opened, the store's next position sealed. */
export async function sealedPage<T>(cursors: CursorCodec, scope: string, page: PageRequest, read: (page: PageRequest) => Promise<Page<T>>): Promise<Page<T>> {
  const position = page.cursor === undefined ? undefined : cursors.open(scope, page.cursor);
  const result = await read({ limit: page.limit, cursor: position });
  return { items: result.items, ...(result.nextCursor ? { nextCursor: cursors.seal(scope, result.nextCursor) } : {}) };
}

/** Photos to attach to the case in the same transaction (each must still be ready, the owner's, unattached). */
export interface PhotoAttachment {
  photoKeys: string[];
  ownerId: string;
  kind: 'before' | 'after';
}

export type CreateOutcome = { created: true } | { created: false; existing: IdempotencyRecord };


/** The target's side of a merge, written in the merged case's transaction. */
export interface MergeWrite {
  target: { expectedVersion: number; next: Case };
  follower: Follower;
}

/**
 * Case storage. Every write is ONE transaction: the case (conditional on its version, or on not
 * existing), its new timeline event and the day's counters — never half-written.
 */
export interface CaseStore {
  createCase(input: {
    case: Case;
    event: CaseEvent;
    counters: CounterDelta[];
    idempotency?: IdempotencyClaim | undefined;
    attach?: PhotoAttachment | undefined;
    /** The reporting person's account: no case is written for a cancelled account (401). */
    account?: string | undefined;
  }): Promise<CreateOutcome>;
  /** Creates a hotline case with its ticket claim; a seen ticket returns its earlier case id. */
  createFromTicket(input: { case: Case; event: CaseEvent; counters: CounterDelta[]; ticketId: string; webhookId: string; bodyHash: string }): Promise<{ created: boolean; caseId: string; bodyHash?: string | undefined }>;
  /**
   * The remembered success of this caller's key in this scope, if any (read consistently). `legacy`: also
   * a report's record from before keys were scoped (per caller only).
   */
  getIdempotency(claim: Pick<IdempotencyClaim, 'callerId' | 'scope' | 'key'>, options?: { legacy?: boolean }): Promise<IdempotencyRecord | undefined>;
  getCase(id: string): Promise<Case | undefined>;
  /** The case and its whole timeline in one Query. */
  getCaseWithTimeline(id: string): Promise<{ case: Case; timeline: CaseEvent[] } | undefined>;
  /**
   * Writes `next` only if the stored version is still `expectedVersion`; false when the race was lost.
   * `earlierEvents` are timeline events written in the same transaction before `event` (a pending
   * request withdrawn by the step). A merge also writes the target (conditional on its version) and makes the merged case its follower.
   */
  applyTransition(input: {
    expectedVersion: number;
    next: Case;
    event: CaseEvent;
    earlierEvents?: CaseEvent[] | undefined;
    counters: CounterDelta[];
    attach?: PhotoAttachment | undefined;
    merge?: MergeWrite | undefined;
    /** The case's task item (tasks.ts), put or removed in the same transaction. */
    task?: TaskWrite | undefined;
    /** The step's Idempotency-Key, remembered with the success (created only if none exists: else false). */
    idempotency?: IdempotencyClaim | undefined;
  }): Promise<boolean>;
  // — Tasks (我的任务) —
  /**
   * A person's open tasks, urgent first, then by due time: one Query of the task index per page, and one
   * batch read of their cases (a task whose case is gone is left out).
   */
  listTasks(assigneeId: string, page: PageRequest): Promise<Page<{ task: CaseTask; case: Case }>>;
  // — Duplicates —
  /** "Me too": the follower item (once per key) and the case's count, conditional on its version. */
  /** No support is written for a cancelled account (401). */
  addSupporter(input: { expectedVersion: number; next: Case; follower: Follower; at: string }): Promise<'added' | 'already-following' | 'lost-race'>;
  /** The followers of a case (supporters, merged reports). */
  listFollowers(caseId: string): Promise<Follower[]>;
  /** Open cases whose geohash falls in one of `ranges` (one Query per range, in parallel; `inRange` in geo/nearness). */
  listOpenInRanges(ranges: GeoRange[]): Promise<Case[]>;
  /** The next number of the year's sequence (atomic; a number lost to a failed transition leaves a gap). */
  nextCaseNumber(year: number): Promise<number>;
  /** The case with this number (`2026-000123`), through the number index. */
  findByCaseNumber(caseNumber: string): Promise<Case | undefined>;
  listByReporter(reporterId: string, page: PageRequest): Promise<Page<Case>>;
  /**
   * 注销 — removes a reporter's identity from one of their cases: the case loses `reporterId` (and so
   * leaves their list), their timeline events keep only the role and `displayName` given, and their photos
   * of it lose their owner. One transaction, conditional on the case's version; false when the case
   * changed meanwhile (read again).
   */
  forgetReporter(input: { caseId: string; reporterId: string; displayName: string }): Promise<boolean>;
  /** Removes every "me too" follower item of a person (account cancellation); how many there were. */
  forgetFollower(userId: string): Promise<number>;
  listByStatus(status: Case['status'], page: PageRequest): Promise<Page<Case>>;
  /** Urgent cases (紧急) of a status, oldest first (a sparse index: urgent ones only). */
  listUrgentByStatus(status: Case['status'], page: PageRequest): Promise<Page<Case>>;
  /**
   * The cases held by `department` or any department below it, by status then oldest first (the
   * department queue's order), one Query per page whatever the depth of the subtree.
   */
  listBySubtree(department: { id: string; level: number }, status: Case['status'] | undefined, page: PageRequest): Promise<Page<Case>>;
}
