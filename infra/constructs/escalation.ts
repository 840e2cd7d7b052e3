import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** State names: the local runtime maps tasks to handlers and tests shorten waits by these names. */
export const ESCALATION_STATES = {
  plan: 'Plan',
  warn: 'Warn',
  escalate: 'Escalate',
  route: 'Route',
  waitForWarning: 'WaitForWarning',
  waitForDeadline: 'WaitForDeadline',
  waitForNextEscalation: 'WaitForNextEscalation',
  waitForRecheck: 'WaitForRecheck',
  ended: 'Ended',
  failed: 'TimerFailed',
} as const;

/** The task handlers, by state (`functions/escalation/*.ts`). */
export const ESCALATION_TASK_ENTRIES = {
  [ESCALATION_STATES.plan]: 'functions/escalation/plan.ts',
  [ESCALATION_STATES.warn]: 'functions/escalation/warn.ts',
  [ESCALATION_STATES.escalate]: 'functions/escalation/escalate.ts',
} as const;

export interface EscalationWorkflowProps {
  tasks: { plan: lambda.IFunction; warn: lambda.IFunction; escalate: lambda.IFunction };
  logRetention: logs.RetentionDays;
  removalPolicy?: RemovalPolicy;
}

/**
 * The deadline timer of a dispatched case as a Step Functions standard workflow, one
 * execution per dispatch or rework (named `{caseId}-{seq}` by the event processor):
 *
 *   Plan → Route ─┬─ inactive ──────────────────────────────▶ Ended
 *                 ├─ > 20 days away ── WaitForRecheck ───▶ Plan
 *                 ├─ warn due ── WaitForWarning ── Warn ──▶ Route
 *                 ├─ level 1 ─── WaitForDeadline ─ Escalate ▶ Route
 *                 └─ level > 1 ─ WaitForNextEscalation ─ Escalate ▶ Route
 *
 * Every task re-reads the case, so a case handled, closed, returned or re-dispatched meanwhile ends the
 * workflow at its next check. Waits use the plan's timestamps (working time is computed in the tasks).
 * Tasks retry with backoff; anything still failing is caught into `TimerFailed` (logged, alarmed).
 * This class is also what the local platform synthesizes and runs (infra/local/step-functions.ts).
 */
export class EscalationWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EscalationWorkflowProps) {
    super(scope, id);
    const S = ESCALATION_STATES;
    const ref = { caseId: sfn.JsonPath.stringAt('$.caseId'), timerSeq: sfn.JsonPath.numberAt('$.timerSeq') };
    const failed = new sfn.Fail(this, S.failed, { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const task = (name: string, fn: lambda.IFunction, payload: Record<string, unknown>) => {
      const state = new tasks.LambdaInvoke(this, name, {
        lambdaFunction: fn,
        payload: sfn.TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        resultPath: '$.plan',
        retryOnServiceExceptions: true,
        taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
      });
      // A function error (e.g. the case kept changing, a DynamoDB hiccup): again after 5 s, 15 s, 45 s.
      state.addRetry({ errors: ['States.TaskFailed', 'States.Timeout'], interval: Duration.seconds(5), maxAttempts: 3, backoffRate: 3 });
      state.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
      return state;
    };
    const plan = task(S.plan, props.tasks.plan, ref);
    const warn = task(S.warn, props.tasks.warn, ref);
    const escalate = task(S.escalate, props.tasks.escalate, { ...ref, level: sfn.JsonPath.numberAt('$.plan.level') });
    const at = (name: string) => new sfn.Wait(this, name, { time: sfn.WaitTime.timestampPath('$.plan.escalateAt') });
    const waitForWarning = new sfn.Wait(this, S.waitForWarning, { time: sfn.WaitTime.timestampPath('$.plan.warnAt') });
    const waitForDeadline = at(S.waitForDeadline);
    const waitForNext = at(S.waitForNextEscalation);
    const waitForRecheck = new sfn.Wait(this, S.waitForRecheck, { time: sfn.WaitTime.timestampPath('$.plan.recheckAt') });
    const ended = new sfn.Succeed(this, S.ended);

    const route = new sfn.Choice(this, S.route)
      .when(sfn.Condition.booleanEquals('$.plan.active', false), ended)
      .when(sfn.Condition.booleanEquals('$.plan.recheck', true), waitForRecheck)
      .when(sfn.Condition.booleanEquals('$.plan.warn', true), waitForWarning)
      .when(sfn.Condition.numberEquals('$.plan.level', 1), waitForDeadline)
      .otherwise(waitForNext);
    waitForRecheck.next(plan);
    waitForWarning.next(warn);
    warn.next(route);
    waitForDeadline.next(escalate);
    waitForNext.next(escalate);
    escalate.next(route);

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'CityGrid deadline timer: warn before the deadline, escalate after it, until handled',
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(route)),
      // No overall timeout: every path ends at the Route after a task (inactive case or last level).
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }
}
