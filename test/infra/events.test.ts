import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CityFunction } from '#infra/constructs/city-function';
import { REPO_ROOT } from '#infra/local/platform';
import { CityGridStack, type CityGridStackProps } from '#infra/stacks/citygrid-stack';
import { HOTLINE_SUBSCRIPTION_FILTER, MAX_DELIVERY_ATTEMPTS } from '#shared/domain/hotline/callbacks';
import { consoleFixture, synthTemplate } from '../support/stack.ts';

type Statement = { Action: string | string[]; Effect: string; Resource?: unknown; NotResource?: unknown };

let stack: CityGridStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synthTemplate());
});

/** The logical id of an L2 construct's CloudFormation resource. */
const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const ref = (construct: IConstruct) => ({ Ref: idOf(construct) });
const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [idOf(construct), 'Arn'] });
const actionsOf = (statement: Statement) => [statement.Action].flat();

/** Every statement of the policies attached to a function's role. */
function statementsOf(fn: CityFunction): Statement[] {
  const role = idOf(fn.fn.role!);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: role })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

const propertiesOf = (t: Template, logicalId: string) => t.toJSON().Resources[logicalId].Properties;
const environmentOf = (t: Template, fn: CityFunction): Record<string, unknown> => propertiesOf(t, idOf(fn.fn)).Environment.Variables;

/** The one event source mapping that feeds `fn`. */
function mappingOf(fn: CityFunction) {
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: ref(fn.fn) } }));
  expect(mappings).toHaveLength(1);
  return mappings[0]!.Properties;
}

/** The alarms on a queue's visible messages. */
const visibleMessageAlarmsOf = (queue: IConstruct) =>
  Object.values(
    template.findResources('AWS::CloudWatch::Alarm', {
      Properties: {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(queue), 'QueueName'] } }],
      },
    }),
  ).map((alarm) => alarm.Properties);

/** A stack with the optional settings (callback URL, escalation policy) given. */
function synthWith(props: Partial<CityGridStackProps>) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const configured = new CityGridStack(app, 'CityGrid-configured', { stage: 'test', repoRoot: REPO_ROOT, corsOrigins: ['https://console.example'], ...props, consoleDir: props.consoleDir ?? consoleFixture() });
  return { configured, template: Template.fromStack(configured) };
}

describe('the escalation workflow', () => {
  it('runs as a STANDARD state machine that logs every event to its log group and is traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: arnOf(stack.caseEvents.workflow.logGroup) } }],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('may invoke its three task functions and no other function', () => {
    const role = idOf(stack.caseEvents.workflow.stateMachine.role);
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }));
    const invoked = (policy!.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => actionsOf(s).includes('lambda:InvokeFunction'))
      .flatMap((s) => [s.Resource].flat())
      .filter((resource) => JSON.stringify(resource).startsWith('{"Fn::GetAtt"'));
    const { plan, warn, escalate } = stack.caseEvents.tasks;
    expect(invoked).toEqual([arnOf(plan.fn), arnOf(warn.fn), arnOf(escalate.fn)]);
  });

  it('gives the tasks the table only — Plan reads, Warn and Escalate write — and no SNS or Step Functions', () => {
    const { plan, warn, escalate } = stack.caseEvents.tasks;
    for (const task of [plan, warn, escalate]) {
      const actions = statementsOf(task).flatMap(actionsOf);
      expect(actions).toContain('dynamodb:GetItem');
      expect(actions.filter((a) => a.startsWith('sns:') || a.startsWith('states:'))).toEqual([]);
      expect(environmentOf(template, task).TABLE_NAME).toEqual(ref(stack.stateful.table));
    }
    expect(statementsOf(plan).flatMap(actionsOf)).not.toContain('dynamodb:PutItem');
    expect(statementsOf(warn).flatMap(actionsOf)).toContain('dynamodb:PutItem');
    expect(statementsOf(escalate).flatMap(actionsOf)).toContain('dynamodb:PutItem');
  });

  it('gives every task the escalation policy when one is configured, and none otherwise', () => {
    const policy = '{"warnAtFraction":0.75,"intervalWorkingHours":2,"maxLevel":2}';
    const { configured, template: withPolicy } = synthWith({ escalationPolicy: policy });
    for (const task of Object.values(configured.caseEvents.tasks)) {
      expect(environmentOf(withPolicy, task).ESCALATION_POLICY).toBe(policy);
    }
    const functionsWithPolicy = Object.values(withPolicy.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.ESCALATION_POLICY);
    expect(functionsWithPolicy).toHaveLength(3);
    const everyFunction = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(everyFunction.filter((f) => f.Properties.Environment?.Variables?.ESCALATION_POLICY)).toEqual([]);
  });

  it('alarms when a timer execution fails', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: ref(stack.caseEvents.workflow.stateMachine) }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});

describe('the case event processor', () => {
  it('reads the table stream from its oldest record, ten at a time, one batch per shard (a case stays in order)', () => {
    expect(mappingOf(stack.caseEvents.processor)).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [idOf(stack.stateful.table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 10,
      ParallelizationFactor: 1,
      MaximumRecordAgeInSeconds: 24 * 3600,
    });
  });

  it('isolates a failing record and resumes from it, retries 10 times (outwaiting an effect lease), then sends it to the dead-letter queue', () => {
    expect(mappingOf(stack.caseEvents.processor)).toMatchObject({
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: arnOf(stack.caseEvents.deadLetters) } },
    });
  });

  it('is invoked only for inserted timeline events (entity caseEvent)', () => {
    const { FilterCriteria } = mappingOf(stack.caseEvents.processor);
    expect(FilterCriteria.Filters).toHaveLength(1);
    expect(JSON.parse(FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { __edb_e__: { S: ['caseEvent'] } } },
    });
  });

  it('keeps dead letters 14 days, encrypted and SSL-only, and alarms on the first one', () => {
    const deadLetters = propertiesOf(template, idOf(stack.caseEvents.deadLetters));
    expect(deadLetters).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(stack.caseEvents.deadLetters)],
      PolicyDocument: { Statement: [{ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
    });
    expect(visibleMessageAlarmsOf(stack.caseEvents.deadLetters)).toEqual([expect.objectContaining({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' })]);
  });

  it('may start executions of the escalation state machine only — the only function in the stack that may', () => {
    const states = statementsOf(stack.caseEvents.processor).filter((s) => actionsOf(s).some((a) => a.startsWith('states:')));
    expect(states).toEqual([{ Action: 'states:StartExecution', Effect: 'Allow', Resource: ref(stack.caseEvents.workflow.stateMachine) }]);
    const starters = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('states:'));
    expect(starters).toHaveLength(1);
  });

  it('publishes to the case-events topic and SMS to phone numbers, nothing else on SNS', () => {
    const publishes = statementsOf(stack.caseEvents.processor).filter((s) => actionsOf(s).some((a) => a.startsWith('sns:')));
    expect(publishes).toEqual(
      expect.arrayContaining([
        { Action: 'sns:Publish', Effect: 'Allow', Resource: ref(stack.stateful.caseEvents) },
        { Action: 'sns:Publish', Effect: 'Allow', NotResource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] } },
      ]),
    );
    expect(publishes).toHaveLength(2);
  });

  it('is told the topic, the state machine and the table, and has 30 s for a batch', () => {
    expect(environmentOf(template, stack.caseEvents.processor)).toMatchObject({
      CASE_EVENTS_TOPIC_ARN: ref(stack.stateful.caseEvents),
      ESCALATION_STATE_MACHINE_ARN: ref(stack.caseEvents.workflow.stateMachine),
      TABLE_NAME: ref(stack.stateful.table),
    });
    expect(propertiesOf(template, idOf(stack.caseEvents.processor.fn)).Timeout).toBe(30);
  });
});

describe('hotline callbacks', () => {
  it('subscribes its queue to case-events, raw, filtered to status changes of hotline cases', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: ref(stack.stateful.caseEvents),
      Endpoint: arnOf(stack.hotlineCallbacks.queue),
      RawMessageDelivery: true,
      FilterPolicy: HOTLINE_SUBSCRIPTION_FILTER,
    });
    expect(HOTLINE_SUBSCRIPTION_FILTER).toEqual({ hotline: ['true'], statusChange: ['true'] });
  });

  it('moves a callback to the alarmed dead-letter queue after MAX_DELIVERY_ATTEMPTS receives', () => {
    expect(propertiesOf(template, idOf(stack.hotlineCallbacks.queue)).RedrivePolicy).toEqual({
      deadLetterTargetArn: arnOf(stack.hotlineCallbacks.deadLetters),
      maxReceiveCount: MAX_DELIVERY_ATTEMPTS,
    });
    expect(propertiesOf(template, idOf(stack.hotlineCallbacks.deadLetters))).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600, SqsManagedSseEnabled: true });
    expect(visibleMessageAlarmsOf(stack.hotlineCallbacks.deadLetters)).toEqual([expect.objectContaining({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' })]);
  });

  it('feeds the delivery function five messages at a time, with time for five 10 s POSTs, hidden for six timeouts', () => {
    const mapping = mappingOf(stack.hotlineCallbacks.deliverer);
    expect(mapping).toMatchObject({ EventSourceArn: arnOf(stack.hotlineCallbacks.queue), BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const timeout = propertiesOf(template, idOf(stack.hotlineCallbacks.deliverer.fn)).Timeout as number;
    expect(timeout).toBeGreaterThanOrEqual(mapping.BatchSize * 10);
    expect(propertiesOf(template, idOf(stack.hotlineCallbacks.queue)).VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('lets the delivery function stretch its own messages\' visibility (the retry backoff)', () => {
    expect(statementsOf(stack.hotlineCallbacks.deliverer)).toContainEqual(
      expect.objectContaining({ Action: expect.arrayContaining(['sqs:ChangeMessageVisibility']), Resource: arnOf(stack.hotlineCallbacks.queue) }),
    );
  });

  it('lets the delivery function read the callback signing secret — not the auth or the inbound hotline secret', () => {
    const statements = statementsOf(stack.hotlineCallbacks.deliverer);
    const secretReads = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
    expect(secretReads.map((s) => s.Resource)).toEqual([ref(stack.hotlineCallbacks.signingSecret)]);
    for (const other of [stack.stateful.authSecret, stack.stateful.hotlineSecret]) expect(JSON.stringify(statements)).not.toContain(idOf(other));
    const environment = environmentOf(template, stack.hotlineCallbacks.deliverer);
    expect(environment.HOTLINE_CALLBACK_SECRET_ARN).toEqual(ref(stack.hotlineCallbacks.signingSecret));
    expect(environment).not.toHaveProperty('AUTH_SECRET_ARN');
    expect(environment).not.toHaveProperty('HOTLINE_SECRET_ARN');
  });

  it('generates the signing secret: 48 characters, no punctuation', () => {
    expect(propertiesOf(template, idOf(stack.hotlineCallbacks.signingSecret)).GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
  });

  it('sets the callback URL only when one is configured', () => {
    expect(environmentOf(template, stack.hotlineCallbacks.deliverer)).not.toHaveProperty('HOTLINE_CALLBACK_URL');
    const { configured, template: withUrl } = synthWith({ hotlineCallbackUrl: 'https://hotline.example/callbacks' });
    expect(environmentOf(withUrl, configured.hotlineCallbacks.deliverer).HOTLINE_CALLBACK_URL).toBe('https://hotline.example/callbacks');
  });

  it('refuses a callback URL that is not https', () => {
    expect(() => synthWith({ hotlineCallbackUrl: 'http://hotline.example/callbacks' })).toThrow('must be https');
  });

  it('tells the delivery function its queue URL (for the backoff) and alarms when a callback waits over 15 minutes', () => {
    expect(environmentOf(template, stack.hotlineCallbacks.deliverer).HOTLINE_CALLBACK_QUEUE_URL).toEqual(ref(stack.hotlineCallbacks.queue));
    const alarm = propertiesOf(template, idOf(stack.hotlineCallbacks.backlogAlarm));
    expect(alarm).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 900, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarm.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(stack.hotlineCallbacks.queue), 'QueueName'] } }]);
  });
});

describe('processor lag', () => {
  it('alarms when the event processor is more than a minute behind the stream', () => {
    const alarm = propertiesOf(template, idOf(stack.caseEvents.processorLagAlarm));
    expect(alarm).toMatchObject({ MetricName: 'IteratorAge', Namespace: 'AWS/Lambda', Threshold: 60000, Statistic: 'Maximum' });
    expect(alarm.Dimensions).toEqual([{ Name: 'FunctionName', Value: ref(stack.caseEvents.processor.fn) }]);
  });
});
