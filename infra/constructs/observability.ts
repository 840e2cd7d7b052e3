import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CityFunction } from './city-function.ts';

export interface ObservabilityProps {
  httpApi: apigw.HttpApi;
  /** The event processor (its errors and iterator age). */
  processor: CityFunction;
  /** The escalation task that marks cases overdue (each run is one escalation step). */
  escalate: CityFunction;
  deadLetterQueues: Record<string, sqs.IQueue>;
  /** 1 while a working-calendar year the city must set is missing (infra/constructs/calendar-check.ts). */
  calendarMissing?: cloudwatch.IMetric | undefined;
  /** Who gets the alarms by email (`-c opsEmail=…`); they confirm the subscription from the first mail. */
  opsEmail?: string | undefined;
}

/**
 * What operators watch: every alarm of the stack notifies the ops topic (email when `opsEmail` is given,
 * or any subscriber added later), and one dashboard shows the key figures — requests, errors, p99
 * latency, event-processor lag, dead-letter depth, cases going overdue and a missing next-year calendar.
 */
export class Observability extends Construct {
  readonly opsTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.opsTopic = new sns.Topic(this, 'OpsTopic', { displayName: 'CityGrid operations alarms', enforceSSL: true });
    Validations.of(this.opsTopic).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SNS2',
      reason: 'Alarm notifications carry alarm names and figures, no personal data; CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer key for them is not worth its cost.',
    });
    if (props.opsEmail) this.opsTopic.addSubscription(new subscriptions.EmailSubscription(props.opsEmail));

    // Every alarm of the stack: this construct is created last, after every construct that alarms.
    const alarms = Stack.of(this).node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);
    const notify = new actions.SnsAction(this.opsTopic);
    for (const alarm of alarms) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }

    const fiveMinutes = Duration.minutes(5);
    const api = props.httpApi;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(24),
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'API requests', left: [api.metricCount({ period: fiveMinutes, statistic: 'Sum' })], width: 8 }),
          new cloudwatch.GraphWidget({
            title: 'API errors (4xx, 5xx)',
            left: [api.metricClientError({ period: fiveMinutes, statistic: 'Sum' }), api.metricServerError({ period: fiveMinutes, statistic: 'Sum' })],
            width: 8,
          }),
          new cloudwatch.GraphWidget({ title: 'API latency p99 (ms)', left: [api.metricLatency({ period: fiveMinutes, statistic: 'p99' })], width: 8 }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Event processor lag (iterator age, ms) and errors',
            left: [props.processor.fn.metric('IteratorAge', { period: fiveMinutes, statistic: 'Maximum' })],
            right: [props.processor.fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' })],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Dead-letter queues (messages)',
            left: Object.entries(props.deadLetterQueues).map(([label, queue]) => queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum', label })),
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Cases escalated for being overdue (escalation steps)',
            left: [props.escalate.fn.metricInvocations({ period: Duration.hours(1), statistic: 'Sum', label: 'escalation steps per hour' })],
            width: 8,
          }),
        ],
        [
          new cloudwatch.AlarmStatusWidget({ title: 'Alarm status', alarms, width: props.calendarMissing ? 16 : 24, height: 6 }),
          ...(props.calendarMissing
            ? [new cloudwatch.SingleValueWidget({ title: 'Next year\'s working calendar missing (1 = set it now)', metrics: [props.calendarMissing], width: 8, height: 6 })]
            : []),
        ],
      ],
    });
  }
}
