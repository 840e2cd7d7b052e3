import { ConflictError } from '#shared/domain/errors';
import type { StepFn } from './step.ts';

/** 评价: once. */
export const rateStep: StepFn<'rate'> = async (_deps, { current, at }, input) => {
  if (current.rating) throw new ConflictError('This case has been rated already');
  const rating = { rated: 1, ...(input.satisfied ? { satisfied: 1 } : {}) };
  return {
    changes: { rating: { satisfied: input.satisfied, score: input.score, comment: input.comment, at: at.toISOString() } },
    event: { note: input.comment },
    counters: { case: rating, ...(current.assignment ? { department: { id: current.assignment.departmentId, add: rating } } : {}) },
  };
};
