import { ValidationError } from '#shared/domain/errors';
import { attachProblems } from '#shared/domain/photos/use-cases';
import type { StepFn } from './step.ts';

/** 处置完成: the after photo is mandatory. */
export const completeStep: StepFn<'complete'> = async (deps, { current, principal, at }, input) => {
  const problems = await attachProblems(deps.photos, principal, input.photoKeys, 'after');
  if (problems.length > 0) throw new ValidationError('Some photos cannot be attached', problems);
  return {
    // After a rework, the new after photos join the earlier ones: the whole history stays visible.
    changes: { afterPhotoKeys: [...current.afterPhotoKeys, ...input.photoKeys], completedAt: at.toISOString() },
    event: { note: input.note, photoKeys: input.photoKeys },
    counters: {
      case: { handled: 1 },
      department: { id: current.assignment!.departmentId, add: { handled: 1, ...(current.dueAt && at.getTime() > Date.parse(current.dueAt) ? { handledLate: 1 } : { handledOnTime: 1 }) } },
    },
    attach: { photoKeys: input.photoKeys, ownerId: principal.userId, kind: 'after' },
  };
};
