/**
 * The lifecycle steps (案卷建立 → 派遣 → 处置 → 核查结案 → 评价) and the exception paths (延期 · 挂账 ·
 * 作废 requests and decisions, 恢复, 督办): one route per step, roles from THE transition table.
 */
import type * as z from '#shared/validation/zod';
import { errors, PHOTO_CONFLICT, type RouteSpec } from './route-spec.ts';
import { rolesFor } from '#shared/domain/cases/lifecycle';
import type { CaseAction } from '#shared/domain/cases/model';
import {
  CaseEnvelope,
  CaseParams,
  CompleteBody,
  DecisionBody,
  DispatchBody,
  FieldCheckAnswerBody,
  FieldCheckBody,
  FileBody,
  MergeBody,
  RatingBody,
  RejectBody,
  RequestBody,
  ResumeBody,
  ReturnBody,
  SuperviseBody,
  VerifyBody,
} from '#shared/schemas/cases';

/**
 * A lifecycle step's route: `POST /v1/cases/{id}/{segment}` taking the step's body, answering the case
 * after the step. Who may call it is read from the transition table, so the two never disagree.
 */
function step<const A extends CaseAction, const B extends z.core.$ZodType, const S extends 200 | 201 = 200>(action: A, segment: string, handler: string, summary: string, body: B, status?: S, tag = 'Case lifecycle', takesPhotos = false) {
  return {
    method: 'POST',
    path: `/v1/cases/{id}/${segment}`,
    handler: `functions/cases/${handler}.ts`,
    access: rolesFor(action),
    summary,
    tag,
    request: { params: CaseParams, body },
    responses: { [status ?? 200]: { description: 'The case after the step', schema: CaseEnvelope }, ...errors(400, 401, 403, 404, 409), ...(takesPhotos ? PHOTO_CONFLICT : {}) },
    needs: { table: 'readWrite' },
    // A phone replays what it queued offline: every step honours Idempotency-Key.
    idempotencyKey: true,
    action,
    /** The success status: 201 when the step creates something (a request), else 200. */
    successStatus: (status ?? 200) as S,
  } as const satisfies RouteSpec & { action: A; successStatus: S };
}

export const fileCase = step('file', 'file', 'file-case', '立案 — file: classify (category), number and place in a grid', FileBody);
export const rejectCase = step('reject', 'reject', 'reject-case', '不予立案 — reject as invalid or duplicate', RejectBody);
export const dispatchCase = step('dispatch', 'dispatch', 'dispatch-case', '派遣 — dispatch, or re-dispatch down the hierarchy (no target: the responsible unit by location)', DispatchBody);
export const returnCase = step('return', 'return', 'return-case', '回退 — return to the command center (wrong department)', ReturnBody);
export const completeCase = step('complete', 'complete', 'complete-case', '处置完成 — report done, with at least one after photo', CompleteBody, undefined, undefined, true);
export const verifyCase = step('verify', 'verify', 'verify-case', '核查 — compare before/after: close, or send back for rework', VerifyBody);
export const rateCase = step('rate', 'rating', 'rate-case', '评价 — the reporter rates the result, once, after closing', RatingBody);
// — Duplicates —
export const mergeCase = step('merge', 'merge', 'merge-case', '合并 — a duplicate joins an open case: `merged`, its reporter follows that case', MergeBody);
// — Field checks —
export const requestFieldCheck = step('field-check', 'field-checks', 'request-field-check', '派发核实/核查 — send the grid\'s supervisor to check on site (201); the status does not change', FieldCheckBody, 201, 'Field checks');
export const answerFieldCheck = step('field-check-answer', 'field-checks/answer', 'answer-field-check', '核实/核查回复 — the assigned supervisor answers with what they found (late answers marked late)', FieldCheckAnswerBody, undefined, 'Field checks', true);

// Exceptions: 延期 · 挂账 · 作废 · 督办
export const requestCase = step('request', 'requests', 'request-case', '申请延期/挂账/作废 — ask for an extension (hours), a suspension or a void; one pending request per case', RequestBody, 201);
export const decideRequest = step('decide', 'requests/decision', 'decide-request', '审批 — decide the pending request (nobody decides their own): extend, suspend, void, or decline', DecisionBody);
export const resumeCase = step('resume', 'resume', 'resume-case', '恢复 — a suspended case back to work with the time it had left', ResumeBody);
export const superviseCase = step('supervise', 'supervise', 'supervise-case', '督办 — press the holding department (SMS to its dispatchers and the assignee)', SuperviseBody);

/** A lifecycle step's route spec (what `transitionRoute` turns into a function). */
export type LifecycleRoute = ReturnType<typeof step>;
