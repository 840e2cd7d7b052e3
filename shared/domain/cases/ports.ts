import type { Case, CaseEvent, FieldCheckKind, Follower } from './model.ts';

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
  // — Duplicates —
  /** Reports merged into another case (they leave received/filed/dispatched/due: see docs/evaluation.md). */
  'merged',
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

/** Photos to attach to the case in the same transaction (each must still be ready, the owner's, unattached). */
export interface PhotoAttachment {
  photoKeys: string[];
  ownerId: string;
  kind: 'before' | 'after';
}

export type CreateOutcome = { created: true } | { created: false; existing: { caseId: string; bodyHash: string } };

/** A supervisor's open field check, as their task list reads it. */
export interface FieldTask {
  caseId: string;
  supervisorId: string;
  kind: FieldCheckKind;
  dueAt: string;
}
export type FieldTaskWrite = { put: FieldTask } | { remove: { caseId: string } };

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
    idempotency?: { callerId: string; key: string; bodyHash: string } | undefined;
    attach?: PhotoAttachment | undefined;
  }): Promise<CreateOutcome>;
  /** Creates a hotline case with its ticket claim; a seen ticket returns its earlier case id. */
  createFromTicket(input: { case: Case; event: CaseEvent; counters: CounterDelta[]; ticketId: string; webhookId: string }): Promise<{ created: boolean; caseId: string }>;
  /** A creation's Idempotency-Key record of this caller, if any. */
  getIdempotency(callerId: string, key: string): Promise<{ caseId: string; bodyHash: string } | undefined>;
  getCase(id: string): Promise<Case | undefined>;
  /** The case and its whole timeline in one Query. */
  getCaseWithTimeline(id: string): Promise<{ case: Case; timeline: CaseEvent[] } | undefined>;
  /**
   * Writes `next` only if the stored version is still `expectedVersion`; false when the race was lost.
   * A merge also writes the target (conditional on its version) and makes the merged case its follower.
   */
  applyTransition(input: {
    expectedVersion: number;
    next: Case;
    event: CaseEvent;
    counters: CounterDelta[];
    attach?: PhotoAttachment | undefined;
    merge?: MergeWrite | undefined;
    task?: FieldTaskWrite | undefined;
  }): Promise<boolean>;
  // — Field checks —
  /** A supervisor's open field checks, earliest due first. */
  listFieldTasks(supervisorId: string): Promise<FieldTask[]>;
  // — Duplicates —
  /** "Me too": the follower item (once per key) and the case's count, conditional on its version. */
  addSupporter(input: { expectedVersion: number; next: Case; follower: Follower; at: string }): Promise<'added' | 'already-following' | 'lost-race'>;
  /** The followers of a case (supporters, merged reports). */
  listFollowers(caseId: string): Promise<Follower[]>;
  /** Open cases whose geohash starts with one of `cells` (one Query per cell, in parallel). */
  listOpenInCells(cells: string[]): Promise<Case[]>;
  /** The next number of the year's sequence (atomic; a number lost to a failed transition leaves a gap). */
  nextCaseNumber(year: number): Promise<number>;
  listByReporter(reporterId: string, page: PageRequest): Promise<Page<Case>>;
  listByStatus(status: Case['status'], page: PageRequest): Promise<Page<Case>>;
  listByDepartment(departmentId: string, status: Case['status'] | undefined, page: PageRequest): Promise<Page<Case>>;
}
