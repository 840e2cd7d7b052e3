import { requireAttachable } from '#shared/domain/photos/use-cases';
import type { StepFn } from './step.ts';

/** 处置完成: the after photo is mandatory (one still being checked: 409 PHOTO_PENDING, send again). */
export const completeStep: StepFn<'complete'> = async (deps, { current, principal, at }, input) => {
  await requireAttachable(deps.photos, principal, input.photoKeys, 'after');
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
