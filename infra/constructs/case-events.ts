import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CityFunction, type SmsSettings } from './city-function.ts';
import { ESCALATION_STATES, ESCALATION_TASK_ENTRIES, EscalationWorkflow } from './escalation.ts';
import type { Stateful } from './stateful.ts';

export interface CaseEventsProps {
  stateful: Stateful;
  repoRoot: string;
  logRetention: logs.RetentionDays;
  /** How SMS are sent (citizen feedback, warnings, escalations). */
  sms: SmsSettings;
  /**
   * Escalation timing as JSON (`ESCALATION_POLICY`, e.g. `{"warnAtFraction":0.8,"intervalWorkingHours":4,"maxLevel":3}`);
   * the tasks use the built-in default when omitted.
   */
  escalationPolicy?: string | undefined;
}

/**
 * What happens after a case changes: the table's stream feeds the event processor,
 * which texts citizens and staff, publishes to `case-events` and starts the deadline timer of a dispatch
 * or rework (the escalation workflow and its three task functions). Records it gives up on land in a
 * dead-letter queue; that queue and failed timers are alarmed.
 */
export class CaseEvents extends Construct {
  readonly tasks: { plan: CityFunction; warn: CityFunction; escalate: CityFunction };
  readonly workflow: EscalationWorkflow;
  readonly processor: CityFunction;
  /** Stream records (metadata: shard, sequence range) the processor failed after all retries. */
  readonly deadLetters: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly timerFailedAlarm: cloudwatch.Alarm;
  readonly processorErrorsAlarm: cloudwatch.Alarm;
  readonly processorLagAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CaseEventsProps) {
    super(scope, id);
    const { table, caseEvents } = props.stateful;

    // The tasks only read and write the case; their timeline events reach SMS and the topic through the
    // stream like every other event, so they get neither SNS nor Step Functions permissions.
    const task = (state: keyof typeof ESCALATION_TASK_ENTRIES, description: string, access: 'read' | 'readWrite') =>
      new CityFunction(this, state, {
        entry: ESCALATION_TASK_ENTRIES[state],
        repoRoot: props.repoRoot,
        description,
        logRetention: props.logRetention,
        // Below the state's 30 s task timeout, so a hung call fails as a function error and is retried.
        timeout: Duration.seconds(20),
        ...(props.escalationPolicy ? { environment: { ESCALATION_POLICY: props.escalationPolicy } } : {}),
      }).bindTable(table, access);
    this.tasks = {
      plan: task(ESCALATION_STATES.plan, 'Deadline timer: plans when to warn and escalate a dispatched case', 'read'),
      warn: task(ESCALATION_STATES.warn, 'Deadline timer: records the warning (yellow light) before the deadline', 'readWrite'),
      escalate: task(ESCALATION_STATES.escalate, 'Deadline timer: marks the case overdue and escalates it one level', 'readWrite'),
    };
    this.workflow = new EscalationWorkflow(this, 'Escalation', {
      tasks: { plan: this.tasks.plan.fn, warn: this.tasks.warn.fn, escalate: this.tasks.escalate.fn },
      logRetention: props.logRetention,
    });
    // Step Functions' Lambda integration grants invoking any version or alias of each task function.
    for (const fn of Object.values(this.tasks)) {
      Validations.of(this.workflow.stateMachine).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fn.fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason: 'The state machine may invoke versions of its own task functions only (the CDK LambdaInvoke grant).',
      });
    }

    const stateMachine = this.workflow.stateMachine;
    this.processor = new CityFunction(this, 'Processor', {
      entry: 'functions/events/process-stream.ts',
      repoRoot: props.repoRoot,
      description: 'Reacts to new case timeline events: SMS, the case-events topic, deadline timers',
      logRetention: props.logRetention,
      // A batch of 10 events, each a few SMS and one publish.
      timeout: Duration.seconds(30),
      environment: { CASE_EVENTS_TOPIC_ARN: caseEvents.topicArn, ESCALATION_STATE_MACHINE_ARN: stateMachine.stateMachineArn },
      sms: props.sms,
    }).bindTable(table, 'readWrite');
    caseEvents.grantPublish(this.processor.fn);
    stateMachine.grantStartExecution(this.processor.fn);

    // A message names the shard and sequence range that failed; the records themselves stay readable in
    // the stream for 24 h, so the alarm below gives operators a day to replay them (docs/operations.md).
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: 'This queue is the event processor\'s dead-letter queue (on-failure destination); it has no DLQ of its own.',
    });
    this.processor.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        // A failing record is isolated by halving the batch and retried from where the handler stopped
        // (it reports the first failure and everything after it), so nothing is skipped.
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        // Enough for a redelivery to outwait a crashed delivery's 40 s effect lease and take it over.
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        // One batch per shard at a time: a case's events are handled in the order they were written.
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.deadLetters),
        // Only new timeline events (every item carries its entity in `__edb_e__`, shared/data/model.ts); the
        // handler filters the same way, this just saves the invocations.
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { __edb_e__: { S: lambda.FilterRule.isEqual('caseEvent') } } },
          }),
        ],
      }),
    );

    const fiveMinutes = Duration.minutes(5);
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: 'Case events the processor gave up on: SMS, topic messages or deadline timers may be missing',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.timerFailedAlarm = new cloudwatch.Alarm(this, 'TimerFailedAlarm', {
      alarmDescription: 'A deadline timer failed: a case may miss its warning or escalation',
      metric: stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Failed records are reported, not thrown, so Errors counts crashes and timeouts only.
    this.processorErrorsAlarm = new cloudwatch.Alarm(this, 'ProcessorErrorsAlarm', {
      alarmDescription: 'The case event processor crashed or timed out (its batches are being retried)',
      metric: this.processor.fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // A processor falling behind starts timers and sends feedback late, before anything fails.
    this.processorLagAlarm = new cloudwatch.Alarm(this, 'ProcessorLagAlarm', {
      alarmDescription: 'The case event processor is more than a minute behind the table (feedback and timers are late)',
      metric: this.processor.fn.metric('IteratorAge', { period: fiveMinutes, statistic: 'Maximum' }),
      threshold: 60_000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
