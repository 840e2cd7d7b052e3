import { openFieldCheck, type Case } from './model.ts';

/**
 * 我的任务 — what a person in the field has to do: `handle` a case dispatched to them, `rework` one sent
 * back to them after a failed verification, `verify-report` (核实) and `check-result` (核查) field checks,
 * and `roll-call` (点名: an open roll call, from the roll calls themselves, not from this index).
 */
export const TASK_KINDS = ['handle', 'rework', 'verify-report', 'check-result', 'roll-call'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** Sorts after every ISO time: a task without a due time comes after those with one. */
export const NO_DUE_TIME = '9999-12-31T23:59:59.999Z';

/**
 * A person's open task on a case, as the task index stores it: one per case at most (the case's open
 * field check, else its assignee while it is `dispatched`), keyed for "urgent first, then by due time".
 */
export interface CaseTask {
  caseId: string;
  assigneeId: string;
  kind: Exclude<TaskKind, 'roll-call'>;
  /** 0 for an urgent case (紧急), 1 otherwise: the first part of the order. */
  rank: number;
  /** The due time (the check's, or the case's deadline), or {@link NO_DUE_TIME} when it has none. */
  dueAt: string;
}

/** A task item written (`put`, replacing the case's earlier one) or removed in the case's own transaction. */
export type TaskWrite = { put: CaseTask } | { remove: { caseId: string } };

/**
 * The task a case gives, from its state alone (so every step, and the reindex of stored cases, agree):
 * - an open field check is its supervisor's (`verify-report` on reported, `check-result` on handled cases);
 * - a `dispatched` case with an assignee is theirs: `rework` once a verification has failed on it
 *   (`reworkCount` > 0), else `handle`. Suspended (挂账), handled, returned or final cases are nobody's.
 * A case is never both (checks are on reported and handled cases only).
 */
export function taskOf(c: Case): CaseTask | undefined {
  const rank = c.priority === 'urgent' ? 0 : 1;
  const check = openFieldCheck(c);
  if (check) return { caseId: c.id, assigneeId: check.supervisorId, kind: check.kind, rank, dueAt: check.dueAt };
  if (c.status === 'dispatched' && c.assignment?.assigneeId) {
    return { caseId: c.id, assigneeId: c.assignment.assigneeId, kind: c.reworkCount > 0 ? 'rework' : 'handle', rank, dueAt: c.dueAt ?? NO_DUE_TIME };
  }
  return undefined;
}

const sameTask = (a: CaseTask, b: CaseTask) => a.assigneeId === b.assigneeId && a.kind === b.kind && a.rank === b.rank && a.dueAt === b.dueAt;

/**
 * The task write of a step from `current` to `next`: the new task when it differs (a put replaces the
 * case's earlier item, so a reassignment moves it), a removal when the case no longer gives one, nothing
 * when nothing changed.
 */
export function taskWrite(current: Case, next: Case): TaskWrite | undefined {
  const before = taskOf(current);
  const after = taskOf(next);
  if (after) return before && sameTask(before, after) ? undefined : { put: after };
  return before ? { remove: { caseId: current.id } } : undefined;
}
