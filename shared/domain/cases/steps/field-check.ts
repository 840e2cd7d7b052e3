import { addWorkingHours } from '#shared/domain/calendar';
import { ConflictError, InvalidTransitionError, ValidationError } from '#shared/domain/errors';
import { requireAttachable } from '#shared/domain/photos/use-cases';
import { localDay } from '../counters.ts';
import { DEFAULT_FIELD_CHECK_HOURS } from '../deps.ts';
import { openFieldCheck } from '../model.ts';
import type { StepFn } from './step.ts';

const STATUS_OF_KIND = { 'verify-report': 'reported', 'check-result': 'handled' } as const;

/**
 * 派发核实/核查 — an agent sends a supervisor to the site.
 * 1. 核实 (verify-report) on `reported` cases, 核查 (check-result) on `handled` ones; one open check per case.
 * 2. The supervisor: the one named, else one patrolling the case's grid (an active supervisor).
 * 3. Due in 1 (核实) or 2 (核查) working hours; the supervisor's task follows from the open check (tasks.ts); the
 *    event processor texts them (the event names them as `assigneeId`).
 */
export const fieldCheckStep: StepFn<'field-check'> = async (deps, { current, at, calendar }, input) => {
  if (current.status !== STATUS_OF_KIND[input.kind]) throw new InvalidTransitionError(`A ${input.kind} check is for ${STATUS_OF_KIND[input.kind]} cases`, { id: 'field-check.wrong-status' });
  if (openFieldCheck(current)) throw new ConflictError('This case has an open field check already', 'CONFLICT', { id: 'field-check.open' });
  let supervisorId = input.supervisorId;
  if (!supervisorId) {
    const patrolling = current.gridId && deps.users.listPatrolling ? await deps.users.listPatrolling(current.gridId) : [];
    for (const id of patrolling) {
      const user = await deps.users.getUser(id);
      if (user?.status === 'active' && user.roles.includes('supervisor')) {
        supervisorId = id;
        break;
      }
    }
    if (!supervisorId) throw new ValidationError('Nobody patrols this case\'s grid: give supervisorId', [{ path: 'supervisorId', message: 'Required here' }], { id: 'field-check.no-supervisor' });
  }
  const supervisor = await deps.users.getUser(supervisorId);
  if (!supervisor || supervisor.status !== 'active' || !supervisor.roles.includes('supervisor')) {
    throw new ValidationError('Unknown supervisor', [{ path: 'supervisorId', message: 'Must be an active supervisor' }], { id: 'field-check.unknown-supervisor' });
  }
  const hours = (deps.fieldCheckHours ?? DEFAULT_FIELD_CHECK_HOURS)[input.kind];
  const dueAt = addWorkingHours(await calendar(), at, hours).toISOString();
  return {
    changes: { fieldCheck: { kind: input.kind, supervisorId: supervisor.id, supervisorName: supervisor.displayName, requestedAt: at.toISOString(), dueAt, note: input.note } },
    event: { note: input.note, assigneeId: supervisor.id },
    counters: { staff: [{ userId: supervisor.id, add: { checks: 1 } }] },
  };
};

/**
 * 核实/核查回复 — the assigned supervisor answers (the table's scope rule admits only them).
 * 1. Only an open check can be answered (409 once cancelled or answered).
 * 2. Photos: the supervisor's own, ready uploads, all of one kind (before for 核实, after for 核查 — either
 *    is accepted; one still being checked: 409 PHOTO_PENDING); they stay with the answer, not in the case's photos, which the reporter sees.
 * 3. An answer after the due time is kept, marked late.
 */
export const fieldCheckAnswerStep: StepFn<'field-check-answer'> = async (deps, { current, principal, at }, input) => {
  const check = openFieldCheck(current);
  if (!check) throw new ConflictError('This case has no open field check', 'CONFLICT', { id: 'field-check.none-open' });
  const photoKeys = input.photoKeys ?? [];
  const kinds = new Set(photoKeys.map((key) => (key.includes('/after/') ? 'after' : 'before')));
  if (kinds.size > 1) throw new ValidationError('Photos of one kind, please', [{ path: 'photoKeys', message: 'All before or all after photos' }], { id: 'field-check.photo-kinds' });
  const kind = kinds.has('after') ? 'after' : 'before';
  if (photoKeys.length) await requireAttachable(deps.photos, principal, photoKeys, kind);
  const answer = { confirmed: input.confirmed, note: input.note, ...(photoKeys.length ? { photoKeys } : {}), at: at.toISOString(), late: at.getTime() > Date.parse(check.dueAt) };
  return {
    changes: { fieldCheck: { ...check, answer } },
    event: { note: input.note },
    // On time: counted for the supervisor on the day the check was sent (where `checks` counted it).
    counters: answer.late ? {} : { staff: [{ userId: check.supervisorId, day: localDay(new Date(check.requestedAt)), add: { checksOnTime: 1 } }] },
    ...(photoKeys.length ? { attach: { photoKeys, ownerId: principal.userId, kind } } : {}),
  };
};
