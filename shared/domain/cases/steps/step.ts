import type { WorkingCalendar } from '#shared/domain/calendar';
import type { Principal } from '#shared/domain/identity/model';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import type { Role } from '#shared/domain/roles';
import type { StepCounters } from '../counters.ts';
import type { CaseDeps } from '../deps.ts';
import type { Case, CaseAction, CaseEvent, FieldCheckKind, Priority, RequestKind } from '../model.ts';
import type { MergeWrite, PhotoAttachment } from '../ports.ts';

export type TransitionInput =
  | { action: 'file'; categoryCode: string; gridId?: string | undefined; priority?: Priority | undefined; note?: string | undefined }
  | { action: 'reject'; reason: string; duplicateOf?: string | undefined }
  | { action: 'dispatch'; departmentId?: string | undefined; assigneeId?: string | undefined; note?: string | undefined }
  | { action: 'return'; reason: string }
  | { action: 'complete'; photoKeys: string[]; note?: string | undefined }
  | { action: 'verify'; approved: boolean; note?: string | undefined }
  | { action: 'rate'; satisfied: boolean; score?: number | undefined; comment?: string | undefined }
  | { action: 'request'; kind: RequestKind; reason: string; hours?: number | undefined }
  | { action: 'decide'; approved: boolean; note?: string | undefined }
  | { action: 'resume'; note?: string | undefined }
  | { action: 'supervise'; note: string }
  // — Duplicates —
  | { action: 'merge'; intoCaseId: string; note?: string | undefined }
  // — Field checks —
  | { action: 'field-check'; kind: FieldCheckKind; supervisorId?: string | undefined; note?: string | undefined }
  | { action: 'field-check-answer'; confirmed: boolean; note?: string | undefined; photoKeys?: string[] | undefined };

/** The case, the caller and the moment a step is decided at. */
export interface StepContext {
  current: Case;
  principal: Principal;
  tree: DepartmentTree;
  /** The working calendar as stored (reference data, cached); read only by steps that count working time. */
  calendar: () => Promise<WorkingCalendar>;
  at: Date;
  role: Role;
}

export interface Step {
  changes: Partial<Case>;
  attach?: PhotoAttachment;
  event?: Partial<CaseEvent>;
  eventAction?: CaseEvent['action'];
  counters: StepCounters;
  /** The event starts the case's deadline timer (dispatch, rework, extension, resume). */
  startsTimer?: boolean;
  /** A merge writes the target case in the same transaction. */
  merge?: MergeWrite;
}

export type StepFn<A extends CaseAction> = (deps: CaseDeps, ctx: StepContext, input: Extract<TransitionInput, { action: A }>) => Promise<Step>;

