import { localDay } from '../counters.ts';
import type { StepFn } from './step.ts';

/** 回退: back to the center with the reason; the assignment is cleared. */
export const returnStep: StepFn<'return'> = async (_deps, { current, at }, input) => {
  const returning = current.assignment?.departmentId;
  return {
    // Back at the center: departments that held it lose sight of it (the timeline keeps the history).
    changes: { assignment: undefined, dispatchPath: [], heldSince: at.toISOString(), lastDispatch: undefined },
    event: { note: input.reason, departmentId: returning },
    counters: {
      case: { returned: 1 },
      ...(returning ? { department: { id: returning, add: { returned: 1 } } } : {}),
      // The hop that brought it here was a wrong dispatch: counted against it, on its day.
      ...(current.lastDispatch ? { staff: [{ userId: current.lastDispatch.by, day: localDay(new Date(current.lastDispatch.at)), add: { dispatchesReturned: 1 } }] } : {}),
    },
  };
};
