import { workingHoursBetween } from '#shared/domain/calendar';
import { localDay } from '../counters.ts';
import { isOverdue } from '../views.ts';
import type { StepFn } from './step.ts';

/** 核查: approve → 结案 closed; otherwise rework, back to the same assignee. */
export const verifyStep: StepFn<'verify'> = async (_deps, { current, calendar, at }, input) => {
  const department = current.assignment!.departmentId;
  if (input.approved) {
    const onTime = !isOverdue({ ...current, status: 'closed' }, at);
    const hours = current.firstDispatchedAt && current.completedAt ? workingHoursBetween(await calendar(), new Date(current.firstDispatchedAt), new Date(current.completedAt)) : 0;
    const closing = { closed: 1, ...(onTime ? { closedOnTime: 1 } : {}) };
    return {
      changes: { closedAt: at.toISOString() },
      eventAction: 'close',
      event: { note: input.note },
      counters: {
        case: { ...closing, handlingHours: Math.round(hours * 100) / 100 },
        department: { id: department, add: closing },
        ...(current.dueAt ? { cohort: { day: localDay(new Date(current.dueAt)), add: { dueClosed: 1, ...(onTime ? { dueClosedOnTime: 1 } : {}) } } } : {}),
      },
    };
  }
  return {
    changes: { reworkCount: current.reworkCount + 1 },
    eventAction: 'rework',
    event: { note: input.note },
    counters: { case: { reworked: 1 }, department: { id: department, add: { reworked: 1 } } },
    startsTimer: true,
  };
};
