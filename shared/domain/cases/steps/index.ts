import { fileStep } from './file.ts';
import { rejectStep } from './reject.ts';
import { dispatchStep } from './dispatch.ts';
import { returnStep } from './return.ts';
import { completeStep } from './complete.ts';
import { verifyStep } from './verify.ts';
import { rateStep } from './rate.ts';
import { decideStep, requestStep, resumeStep, superviseStep } from './exceptions.ts';
import { mergeStep } from './merge.ts';
import { fieldCheckAnswerStep, fieldCheckStep } from './field-check.ts';
import type { TransitionInput, Step, StepContext, StepFn } from './step.ts';
import type { CaseDeps } from '../deps.ts';
import type { CaseAction } from '../model.ts';

/** What each action changes, besides status, version and timeline (which `transition` handles). */
const STEPS: { [A in CaseAction]: StepFn<A> } = {
  file: fileStep,
  reject: rejectStep,
  dispatch: dispatchStep,
  return: returnStep,
  complete: completeStep,
  verify: verifyStep,
  rate: rateStep,
  request: requestStep,
  decide: decideStep,
  resume: resumeStep,
  supervise: superviseStep,
  merge: mergeStep,
  'field-check': fieldCheckStep,
  'field-check-answer': fieldCheckAnswerStep,
};

/** Runs the step of `input.action` (the map keeps each step's input type paired with its action). */
export function runStep<A extends CaseAction>(deps: CaseDeps, ctx: StepContext, input: Extract<TransitionInput, { action: A }>): Promise<Step> {
  const step: StepFn<A> = STEPS[input.action];
  return step(deps, ctx, input);
}

export { suggestTarget } from './dispatch.ts';
export type { Step, StepContext, StepFn, TransitionInput } from './step.ts';
