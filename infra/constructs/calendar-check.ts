import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CALENDAR_METRIC, METRIC_NAMESPACE } from '#shared/observability/metrics';
import { CityFunction } from './city-function.ts';

export interface CalendarCheckProps {
  table: dynamodb.ITableV2;
  repoRoot: string;
  logRetention: logs.RetentionDays;
}


/**
 * Next year's working calendar: without it its holidays count as working days. Every day at 09:00
 * Asia/Shanghai (01:00 UTC) a small function publishes `CityGrid/CalendarYearMissing` (1 from December 1
 * while next year is not set, 0 otherwise), and an alarm on it notifies the ops topic (wired with every
 * other alarm by `Observability`) until an admin sets the year.
 */
export class CalendarCheck extends Construct {
  readonly fn: CityFunction;
  readonly metric: cloudwatch.Metric;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CalendarCheckProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    this.fn = new CityFunction(this, 'Check', {
      entry: 'functions/ops/check-calendar.ts',
      repoRoot: props.repoRoot,
      description: 'Daily: publishes CalendarYearMissing (next year\'s working calendar not set, from December 1)',
      logRetention: props.logRetention,
      timeout: Duration.seconds(30),
      environment: { METRIC_STACK: stackName },
    }).bindTable(props.table, 'read');
    new events.Rule(this, 'Daily', {
      description: 'CityGrid: check the working calendar every day at 09:00 Asia/Shanghai',
      schedule: events.Schedule.cron({ minute: '0', hour: '1' }),
      targets: [new targets.LambdaFunction(this.fn.fn, { retryAttempts: 2 })],
    });
    this.metric = new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName: CALENDAR_METRIC, dimensionsMap: { Stack: stackName }, statistic: 'Maximum', period: Duration.days(1) });
    // One datapoint a day: the alarm holds its state between checks. No datapoint (the check did not run)
    // leaves it in INSUFFICIENT_DATA, visible on the dashboard, rather than silently OK.
    this.alarm = new cloudwatch.Alarm(this, 'MissingAlarm', {
      alarmDescription: 'Next year\'s working calendar is not set: its holidays will count as working days. Set it with PUT /v1/admin/calendar/{year} or calendar.json (npm run city -- import).',
      metric: this.metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
  }
}
