import { ConflictError, DomainError, ForbiddenError, InvalidTransitionError, NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import { counterDeltas, localDay } from './counters.ts';
import { scopeFacts, visibility, type CaseDeps } from './deps.ts';
import { decide, FIELD_CHECK_CANCELLED_BY, ruleKey, TRANSITIONS } from './lifecycle.ts';
import { openFieldCheck, type Case, type CaseEvent, type PendingRequest } from './model.ts';
import { runStep, type TransitionInput } from './steps/index.ts';
import { taskWrite } from './tasks.ts';
import { hashBody, isReplayOf, type IdempotencyClaim, type IdempotencyRecord } from './idempotency.ts';

export type { TransitionInput } from './steps/index.ts';
import { caseView } from './views.ts';

/**
 * Every lifecycle step goes through here.
 * 1. Load the case; a case the caller cannot see is 404.
 * 2. Ask THE transition table (the row of the action; for requests and decisions, of the request's
 *    kind): role (403), status (409 INVALID_TRANSITION), scope (403).
 * 3. A stale `expectedVersion` is 409 before anything is computed.
 * 4. Compute the next case and its event (pure, per action). A pending request the step makes moot is
 *    withdrawn: a `decline` event ("withdrawn") before the step's own.
 * 5. Write case (conditional on version) + event + counters in one transaction. A lost race is 409 —
 *    unless the caller named no version and only the system (the deadline timer's warn/escalate) wrote
 *    meanwhile: then the step is decided again on the fresh case, up to three times, so timers never
 *    make staff requests fail. Lost to another person's step, it stays 409.
 * With an Idempotency-Key (`idempotency`: the key and the request's method and path; idempotency.ts):
 * a success remembered under it is answered first — the case as it is now for the same body (nothing
 * is done again), 409 for another; the success is remembered in the step's own transaction. A
 * duplicate sent while the first was being written is refused on what the first changed (its status,
 * its photos, its version): once the first has committed, that refusal is answered as the replay.
 */
export async function transition(
  deps: CaseDeps,
  principal: Principal,
  id: string,
  input: TransitionInput & { expectedVersion?: number | undefined },
  idempotency?: { key: string; scope: string } | undefined,
) {
  const claim: IdempotencyClaim | undefined = idempotency && { callerId: principal.userId, scope: idempotency.scope, key: idempotency.key, bodyHash: hashBody(input) };
  if (claim) {
    const seen = await deps.store.getIdempotency(claim);
    if (seen) return replay(deps, principal, seen, claim);
  }
  try {
    for (let attempt = 1; ; attempt++) {
      const result = await attemptTransition(deps, principal, id, input, claim);
      if (!('lostOn' in result)) return result;
      const retry = input.expectedVersion === undefined && attempt < 3 && (await onlySystemSince(deps, id, result.lostOn));
      if (!retry) throw new ConflictError('Someone else changed this case at the same moment; reload it', 'CONFLICT', { id: 'case.changed' });
    }
  } catch (error) {
    const seen = claim && error instanceof DomainError ? await deps.store.getIdempotency(claim) : undefined;
    if (seen) return replay(deps, principal, seen, claim!);
    throw error;
  }
}

/** The answer to a key whose success is remembered: the case as it is now (same body), or 409 (another). */
async function replay(deps: CaseDeps, principal: Principal, seen: IdempotencyRecord, claim: IdempotencyClaim) {
  isReplayOf(seen, claim);
  const [current, tree] = await Promise.all([deps.store.getCase(seen.caseId), deps.reference.departments()]);
  if (!current) throw new NotFoundError('No such case', { id: 'case.not-found' });
  return caseView(current, visibility(current, principal, tree) ?? 'staff', deps.now());
}

/**
 * Were all events after `basis` written by the system (timers), not by a person? No event at all means
 * the case changed without a step of its own (a "me too", a report merged into it, or a merge target
 * that moved): deciding again is safe too.
 */
async function onlySystemSince(deps: CaseDeps, id: string, basis: Case): Promise<boolean> {
  const fresh = await deps.store.getCaseWithTimeline(id);
  if (!fresh) return false;
  const since = fresh.timeline.filter((e) => e.seq > basis.eventCount);
  return since.every((e) => e.actor.role === 'system');
}

async function attemptTransition(deps: CaseDeps, principal: Principal, id: string, input: TransitionInput & { expectedVersion?: number | undefined }, idempotency: IdempotencyClaim | undefined) {
  const [current, tree] = await Promise.all([deps.store.getCase(id), deps.reference.departments()]);
  if (!current || !visibility(current, principal, tree)) throw new NotFoundError('No such case', { id: 'case.not-found' });
  const key = ruleKey(input.action, current, input.action === 'request' ? input.kind : undefined);
  const decision = decide(key, current.status, principal.roles, scopeFacts(current, principal, tree));
  if ('kind' in decision) {
    if (decision.kind === 'forbidden') throw new ForbiddenError(decision.message, { id: 'case.action-forbidden', params: { action: input.action } });
    throw new InvalidTransitionError(decision.message, { id: 'case.invalid-transition', params: { status: current.status, action: input.action } });
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw new ConflictError(`The case changed meanwhile (version ${current.version}, you had ${input.expectedVersion}); reload it`, 'CONFLICT', { id: 'case.stale-version', params: { current: current.version, expected: input.expectedVersion } });
  }
  const at = deps.now();
  const step = await runStep(deps, { current, principal, tree, calendar: () => deps.reference.calendar(), at, role: decision.role }, input);
  const rule = TRANSITIONS[key];
  const next: Case = {
    ...current,
    ...step.changes,
    status: rule.to(current.status, { approved: input.action === 'verify' || input.action === 'decide' ? input.approved : undefined }),
    updatedAt: at.toISOString(),
    version: current.version + 1,
    eventCount: current.eventCount + 1,
  };
  // A decision taken without the field check that was to inform it cancels the check (it can no longer be answered).
  const pendingCheck = openFieldCheck(current);
  const cancelsCheck = pendingCheck !== undefined && FIELD_CHECK_CANCELLED_BY[pendingCheck.kind].includes(input.action);
  if (cancelsCheck) next.fieldCheck = { ...pendingCheck, cancelledAt: at.toISOString() };
  // A cancelled check is no longer the supervisor's to answer: it leaves their count of checks.
  const counters = cancelsCheck
    ? { ...step.counters, staff: [...(step.counters.staff ?? []), { userId: pendingCheck.supervisorId, day: localDay(new Date(pendingCheck.requestedAt)), add: { checks: -1 } }] }
    : step.counters;
  const withdrawn = withdrawnBy(current, next) ? current.pendingRequest : undefined;
  const earlierEvents: CaseEvent[] = [];
  if (withdrawn) {
    next.pendingRequest = undefined;
    next.eventCount += 1;
    earlierEvents.push({
      caseId: id,
      seq: current.eventCount + 1,
      at: at.toISOString(),
      action: 'decline',
      fromStatus: current.status,
      toStatus: current.status,
      actor: { id: principal.userId, role: decision.role, displayName: principal.displayName },
      note: 'withdrawn',
      internal: true,
      requestKind: withdrawn.kind,
      ...(withdrawn.departmentId ? { departmentId: withdrawn.departmentId } : {}),
    });
  }
  // A dispatch (each hop), a rework, an extension or a resume starts a fresh deadline timer, named
  // after this event's seq; the timer of an earlier event finds it is no longer current and ends.
  if (step.startsTimer && next.dueAt) next.timerSeq = next.eventCount;
  // The case's task item (我的任务) follows its state: put, moved to another person, or removed.
  const task = taskWrite(current, next);
  const event: CaseEvent = {
    caseId: id,
    seq: next.eventCount,
    at: at.toISOString(),
    action: step.eventAction ?? (input.action === 'decide' ? 'decline' : input.action),
    fromStatus: current.status,
    toStatus: next.status,
    actor: { id: principal.userId, role: decision.role, displayName: principal.displayName, ...(principal.departmentId ? { departmentId: principal.departmentId } : {}) },
    internal: rule.internalNote,
    ...step.event,
  };
  const written = await deps.store.applyTransition({ expectedVersion: current.version, next, event, earlierEvents, counters: counterDeltas(next, at, counters), attach: step.attach, merge: step.merge, task, idempotency });
  if (!written) return { lostOn: current };
  return caseView(next, visibility(next, principal, tree) ?? 'staff', at);
}

/**
 * Does the step make the case's pending request moot? An extension or suspension is asked for a
 * `dispatched` case held by one department: it is withdrawn when the case leaves `dispatched` or changes
 * department. A void is asked for a `filed` or `dispatched` case: withdrawn when it leaves both. (The
 * decision itself clears the request; a new request cannot be made while one is pending.)
 */
function withdrawnBy(current: Case, next: Case): boolean {
  const pending: PendingRequest | undefined = current.pendingRequest;
  if (!pending || next.pendingRequest !== pending) return false;
  if (pending.kind === 'void') return next.status !== 'filed' && next.status !== 'dispatched';
  return next.status !== 'dispatched' || next.assignment?.departmentId !== pending.departmentId;
}
