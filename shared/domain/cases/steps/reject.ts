import { ValidationError } from '#shared/domain/errors';
import type { StepFn } from './step.ts';

/** 不予立案: invalid or a duplicate (which must be another existing case). */
export const rejectStep: StepFn<'reject'> = async (deps, { current }, input) => {
  if (input.duplicateOf) {
    if (input.duplicateOf === current.id || !(await deps.store.getCase(input.duplicateOf))) {
      throw new ValidationError('Unknown duplicate', [{ path: 'duplicateOf', message: 'Must be the id of another case' }]);
    }
  }
  return { changes: { rejectReason: input.reason, duplicateOf: input.duplicateOf }, event: { note: input.reason }, counters: { case: { rejected: 1 } } };
};
