import { ConflictError, ValidationError } from '#shared/domain/errors';
import { withdrawnCounts, withdrawnFiling } from '../counters.ts';
import { isOpen, type Case } from '../model.ts';
import type { StepFn } from './step.ts';

/**
 * 合并 — a duplicate joins the case that carries the problem on.
 * 1. The target is another existing case, open and not merged (409 otherwise).
 * 2. The target counts the report as a supporter (plus the duplicate's own supporters) and takes over
 *    its hotline tickets (their status callbacks) and — as one `case` follower — its reporter, caller
 *    and followers, who are texted when the target closes.
 * 3. The duplicate leaves the denominators it was counted in — its deadline cohort (`due`) and its first
 *    dispatch (`dispatched`), on the days it was counted, as a void does — and counts as `merged` today.
 *    It stays received (and filed, if it was): a duplicate report is still a report the city took in.
 * Both cases are written in one transaction, each conditional on its version.
 */
export const mergeStep: StepFn<'merge'> = async (deps, { current, at }, input) => {
  if (input.intoCaseId === current.id) throw new ValidationError('A case cannot be merged into itself', [{ path: 'intoCaseId', message: 'Must be another case' }], { id: 'merge.self' });
  const target = await deps.store.getCase(input.intoCaseId);
  if (!target) throw new ValidationError('Unknown case to merge into', [{ path: 'intoCaseId', message: 'Must be the id of another case' }], { id: 'merge.unknown-target' });
  if (!isOpen(target.status)) throw new ConflictError(`Case ${target.caseNumber ?? target.id} is ${target.status}: merge into an open case`, 'CONFLICT', { id: 'merge.target-not-open' });
  const tickets = new Set([...(target.followerTicketIds ?? []), ...(current.followerTicketIds ?? []), ...(current.hotlineTicketId ? [current.hotlineTicketId] : [])]);
  const next: Case = {
    ...target,
    supporterCount: (target.supporterCount ?? 0) + 1 + (current.supporterCount ?? 0),
    ...(tickets.size > 0 ? { followerTicketIds: [...tickets] } : {}),
    updatedAt: at.toISOString(),
    version: target.version + 1,
  };
  return {
    changes: { mergedInto: target.id },
    event: { note: input.note, relatedCaseId: target.id, ...(target.caseNumber ? { relatedCaseNumber: target.caseNumber } : {}) },
    counters: {
      case: { merged: 1 },
      cohort: withdrawnCounts(current),
      staff: withdrawnFiling(current),
    },
    merge: { target: { expectedVersion: target.version, next }, follower: { kind: 'case', caseId: current.id } },
  };
};
