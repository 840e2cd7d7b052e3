/** The lifecycle steps (案卷建立 → 派遣 → 处置 → 核查结案 → 评价): one route per step, roles from THE transition table. */
import type * as z from 'zod';
import { errors, type RouteSpec } from './route-spec.ts';
import { rolesFor } from '#shared/domain/cases/lifecycle';
import type { CaseAction } from '#shared/domain/cases/model';
import { CaseEnvelope, CaseParams, CompleteBody, DispatchBody, FieldCheckAnswerBody, FieldCheckBody, FileBody, MergeBody, RatingBody, RejectBody, ReturnBody, VerifyBody } from '#shared/schemas/cases';

/**
 * A lifecycle step's route: `POST /v1/cases/{id}/{segment}` taking the step's body, answering the case
 * after the step. Who may call it is read from the transition table, so the two never disagree.
 */
function step<const A extends CaseAction, const B extends z.ZodType>(action: A, segment: string, handler: string, summary: string, body: B, tag = 'Case lifecycle') {
  return {
    method: 'POST',
    path: `/v1/cases/{id}/${segment}`,
    handler: `functions/cases/${handler}.ts`,
    access: rolesFor(action),
    summary,
    tag,
    request: { params: CaseParams, body },
    // A field check answers 201 (a check was created), every other step 200.
    responses: { [action === 'field-check' ? 201 : 200]: { description: 'The case after the step', schema: CaseEnvelope }, ...errors(400, 401, 403, 404, 409) },
    needs: { table: 'readWrite' },
    action,
  } as const satisfies RouteSpec & { action: A };
}

export const fileCase = step('file', 'file', 'file-case', '立案 — file: classify (category), number and place in a grid', FileBody);
export const rejectCase = step('reject', 'reject', 'reject-case', '不予立案 — reject as invalid or duplicate', RejectBody);
export const dispatchCase = step('dispatch', 'dispatch', 'dispatch-case', '派遣 — dispatch, or re-dispatch down the hierarchy (no target: the responsible unit by location)', DispatchBody);
export const returnCase = step('return', 'return', 'return-case', '回退 — return to the command center (wrong department)', ReturnBody);
export const completeCase = step('complete', 'complete', 'complete-case', '处置完成 — report done, with at least one after photo', CompleteBody);
export const verifyCase = step('verify', 'verify', 'verify-case', '核查 — compare before/after: close, or send back for rework', VerifyBody);
export const rateCase = step('rate', 'rating', 'rate-case', '评价 — the reporter rates the result, once, after closing', RatingBody);
// — Duplicates —
export const mergeCase = step('merge', 'merge', 'merge-case', '合并 — a duplicate joins an open case: `merged`, its reporter follows that case', MergeBody);
// — Field checks —
export const requestFieldCheck = step('field-check', 'field-checks', 'request-field-check', '派发核实/核查 — send the grid\'s supervisor to check on site (201); the status does not change', FieldCheckBody, 'Field checks');
export const answerFieldCheck = step('field-check-answer', 'field-checks/answer', 'answer-field-check', '核实/核查回复 — the assigned supervisor answers with what they found (late answers marked late)', FieldCheckAnswerBody, 'Field checks');

/** A lifecycle step's route spec (what `transitionRoute` turns into a function). */
export type LifecycleRoute = ReturnType<typeof step>;
