import { ConflictError, ForbiddenError, ValidationError } from '#shared/domain/errors';
import { movedDue, withdrawnCounts, withdrawnFiling } from '../counters.ts';
import { clockOf, hoursLeft } from '../deadline.ts';
import type { PendingRequest } from '../model.ts';
import type { Step, StepFn } from './step.ts';

/**
 * The standard's exception paths (GB/T 30428): 延期 extension, 挂账 suspension and 作废 void are asked
 * for and decided by someone else; 恢复 resume ends a suspension; 督办 supervision presses the holding
 * department. Who may do what, in which status, is the transition table's; these steps say what changes.
 */

/** 申请 — one pending request per case; the request itself changes nothing else. */
export const requestStep: StepFn<'request'> = async (_deps, { current, principal, at, role }, input) => {
  if (current.pendingRequest) throw new ConflictError(`A ${current.pendingRequest.kind} request is already waiting for its decision`);
  if (input.kind === 'extension' && input.hours === undefined) throw new ValidationError('An extension needs hours', [{ path: 'hours', message: 'Required for an extension' }]);
  if (input.kind !== 'extension' && input.hours !== undefined) throw new ValidationError('Only extensions take hours', [{ path: 'hours', message: 'Only for an extension' }]);
  const pendingRequest: PendingRequest = {
    kind: input.kind,
    reason: input.reason,
    ...(input.hours !== undefined ? { hours: input.hours } : {}),
    requestedBy: { id: principal.userId, role, displayName: principal.displayName },
    at: at.toISOString(),
    ...(current.assignment ? { departmentId: current.assignment.departmentId } : {}),
  };
  return {
    changes: { pendingRequest },
    event: { note: input.reason, requestKind: input.kind, ...(input.hours !== undefined ? { hours: input.hours } : {}), departmentId: current.assignment?.departmentId },
    counters: {},
  };
};

/**
 * 审批 — approved: the request takes effect (`extend`, `suspend`, `void`); refused: `decline`, nothing
 * else changes. Nobody decides their own request.
 */
export const decideStep: StepFn<'decide'> = async (_deps, { current, principal, at, calendar }, input) => {
  // The table refuses a decision without a pending request (`decide:none`) before this step runs.
  const pending = current.pendingRequest!;
  if (pending.requestedBy.id === principal.userId) throw new ForbiddenError('Nobody decides their own request');
  const event = { note: input.note, requestKind: pending.kind, ...(pending.hours !== undefined ? { hours: pending.hours } : {}), departmentId: current.assignment?.departmentId };
  if (!input.approved) return { changes: { pendingRequest: undefined }, eventAction: 'decline', event, counters: {} };
  const holder = current.assignment?.departmentId;
  switch (pending.kind) {
    case 'extension': {
      if (!current.dueAt) throw new ConflictError('This case has no deadline to extend');
      // `hours` on the case's clock: working hours, or clock hours for an urgent case.
      const dueAt = clockOf(await calendar(), current).add(new Date(current.dueAt), pending.hours ?? 0).toISOString();
      const withinNewDeadline = Date.parse(dueAt) > at.getTime();
      return {
        changes: {
          pendingRequest: undefined,
          dueAt,
          extensionCount: (current.extensionCount ?? 0) + 1,
          // Not overdue until the new deadline; the escalation level and the past escalations stay.
          overdueSince: withinNewDeadline ? undefined : current.overdueSince,
          warnedAt: withinNewDeadline ? undefined : current.warnedAt,
          clockStartedAt: at.toISOString(),
          clockStartLevel: current.escalationLevel,
        },
        eventAction: 'extend',
        event,
        counters: {
          case: { extended: 1 },
          ...(holder ? { department: { id: holder, add: { extended: 1 } } } : {}),
          cohort: movedDue(current.firstDispatchedAt ? current.dueAt : undefined, current.firstDispatchedAt ? dueAt : undefined),
        },
        startsTimer: true,
      };
    }
    case 'suspension':
      return {
        // The clock stops: what is left of it is kept for the resume; the case leaves its deadline cohort.
        changes: { pendingRequest: undefined, remainingHours: hoursLeft(await calendar(), current, at) },
        eventAction: 'suspend',
        event,
        counters: {
          case: { suspended: 1 },
          ...(holder ? { department: { id: holder, add: { suspended: 1 } } } : {}),
          cohort: movedDue(current.firstDispatchedAt ? current.dueAt : undefined, undefined),
        },
      };
    case 'void':
      return {
        changes: { pendingRequest: undefined },
        eventAction: 'void',
        event,
        counters: { case: { voided: 1 }, cohort: withdrawnCounts(current), staff: withdrawnFiling(current) },
      };
  }
};

/**
 * 恢复 — back to `dispatched` with exactly the time that was left when it was suspended; with none left
 * it resumes overdue (and escalates at once if it never had).
 */
export const resumeStep: StepFn<'resume'> = async (_deps, { current, at, calendar }, input): Promise<Step> => {
  const left = current.remainingHours ?? 0;
  const dueAt = (left > 0 ? clockOf(await calendar(), current).add(at, left) : at).toISOString();
  return {
    changes: {
      remainingHours: undefined,
      dueAt,
      clockStartedAt: at.toISOString(),
      ...(left > 0
        ? { overdueSince: undefined, warnedAt: undefined, clockStartLevel: current.escalationLevel }
        : // Overdue already: the next escalation level comes one interval on (or now, if none came yet).
          { overdueSince: current.overdueSince ?? at.toISOString(), clockStartLevel: Math.max(0, current.escalationLevel - 1) }),
    },
    event: { note: input.note, departmentId: current.assignment?.departmentId },
    counters: { cohort: movedDue(undefined, current.firstDispatchedAt ? dueAt : undefined) },
    startsTimer: true,
  };
};

/** 督办 — counted for the case and the holding department; the event texts its dispatchers and the assignee. */
export const superviseStep: StepFn<'supervise'> = async (_deps, { current }, input) => {
  const holder = current.assignment?.departmentId;
  return {
    changes: { supervisionCount: (current.supervisionCount ?? 0) + 1 },
    event: { note: input.note, departmentId: holder, ...(current.assignment?.assigneeId ? { assigneeId: current.assignment.assigneeId } : {}) },
    counters: { case: { supervised: 1 }, ...(holder ? { department: { id: holder, add: { supervised: 1 } } } : {}) },
  };
};
