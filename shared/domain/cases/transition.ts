import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import { counterDeltas } from './counters.ts';
import { scopeFacts, visibility, type CaseDeps } from './deps.ts';
import { decide, TRANSITIONS } from './lifecycle.ts';
import type { Case, CaseEvent } from './model.ts';
import { runStep, type TransitionInput } from './steps/index.ts';

export type { TransitionInput } from './steps/index.ts';
import { caseView } from './views.ts';

/**
 * Every lifecycle step goes through here.
 * 1. Load the case; a case the caller cannot see is 404.
 * 2. Ask THE transition table: role (403), status (409 INVALID_TRANSITION), scope (403).
 * 3. A stale `expectedVersion` is 409 before anything is computed.
 * 4. Compute the next case and its event (pure, per action).
 * 5. Write case (conditional on version) + event + counters in one transaction. A lost race is 409 —
 *    unless the caller named no version and only the system (the deadline timer's warn/escalate) wrote
 *    meanwhile: then the step is decided again on the fresh case, up to three times, so timers never
 *    make staff requests fail. Lost to another person's step, it stays 409.
 */
export async function transition(deps: CaseDeps, principal: Principal, id: string, input: TransitionInput & { expectedVersion?: number | undefined }) {
  for (let attempt = 1; ; attempt++) {
    const result = await attemptTransition(deps, principal, id, input);
    if (!('lostOn' in result)) return result;
    const retry = input.expectedVersion === undefined && attempt < 3 && (await onlySystemSince(deps, id, result.lostOn));
    if (!retry) throw new ConflictError('Someone else changed this case at the same moment; reload it');
  }
}

/** Were all events after `basis` written by the system (timers), not by a person? */
async function onlySystemSince(deps: CaseDeps, id: string, basis: Case): Promise<boolean> {
  const fresh = await deps.store.getCaseWithTimeline(id);
  const since = fresh?.timeline.filter((e) => e.seq > basis.eventCount) ?? [];
  return since.length > 0 && since.every((e) => e.actor.role === 'system');
}

async function attemptTransition(deps: CaseDeps, principal: Principal, id: string, input: TransitionInput & { expectedVersion?: number | undefined }) {
  const [current, tree] = await Promise.all([deps.store.getCase(id), deps.reference.departments()]);
  if (!current || !visibility(current, principal, tree)) throw new NotFoundError('No such case');
  const decision = decide(input.action, current.status, principal.roles, scopeFacts(current, principal, tree));
  if ('kind' in decision) {
    if (decision.kind === 'forbidden') throw new ForbiddenError(decision.message);
    throw new InvalidTransitionError(decision.message);
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw new ConflictError(`The case changed meanwhile (version ${current.version}, you had ${input.expectedVersion}); reload it`);
  }
  const at = deps.now();
  const step = await runStep(deps, { current, principal, tree, at, role: decision.role }, input);
  const rule = TRANSITIONS[input.action];
  const next: Case = {
    ...current,
    ...step.changes,
    status: rule.to(current.status, { approved: input.action === 'verify' ? input.approved : undefined }),
    updatedAt: at.toISOString(),
    version: current.version + 1,
    eventCount: current.eventCount + 1,
  };
  // A dispatch (each hop) or a rework starts a fresh deadline timer, named after this event's seq;
  // the timer of an earlier event finds it is no longer current and ends.
  if (step.startsTimer && next.dueAt) next.timerSeq = next.eventCount;
  const event: CaseEvent = {
    caseId: id,
    seq: next.eventCount,
    at: at.toISOString(),
    action: step.eventAction ?? input.action,
    fromStatus: current.status,
    toStatus: next.status,
    actor: { id: principal.userId, role: decision.role, displayName: principal.displayName, ...(principal.departmentId ? { departmentId: principal.departmentId } : {}) },
    internal: rule.internalNote,
    ...step.event,
  };
  const written = await deps.store.applyTransition({ expectedVersion: current.version, next, event, counters: counterDeltas(next, at, step.counters), attach: step.attach });
  if (!written) return { lostOn: current };
  return caseView(next, visibility(next, principal, tree) ?? 'staff', at);
}
