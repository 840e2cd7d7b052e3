import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthTemplate } from '../support/stack.ts';

let template: ReturnType<typeof synthTemplate>['template'];
// A synth takes seconds, minutes on a busy shared machine.
beforeAll(() => {
  template = synthTemplate().template;
}, 300_000);

const byDescription = (type: string, pattern: RegExp) =>
  Object.entries(template.findResources(type)).filter(([, r]) => pattern.test(String(r.Properties.Description ?? r.Properties.AlarmDescription ?? '')));

describe("next year's working calendar, watched in AWS", () => {
  it('runs the calendar check every day at 09:00 Asia/Shanghai (01:00 UTC), reading the table only', () => {
    const [[fnId, fn]] = byDescription('AWS::Lambda::Function', /CalendarYearMissing/) as [[string, any]];
    expect(fn.Properties.Environment.Variables.METRIC_STACK).toBe('CityGrid-test'); // the stack's name: one metric per stack
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] }, Principal: 'events.amazonaws.com' });
    // Its role may read the table, never write it.
    const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(JSON.stringify(statements)).toContain('dynamodb:Query');
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/);
  });

  it('alarms on CityGrid/CalendarYearMissing of this stack, through the ops topic like every alarm', () => {
    const [[, alarm]] = byDescription('AWS::CloudWatch::Alarm', /working calendar is not set/) as [[string, any]];
    expect(alarm.Properties).toMatchObject({
      Namespace: 'CityGrid',
      MetricName: 'CalendarYearMissing',
      Dimensions: [{ Name: 'Stack', Value: 'CityGrid-test' }],
      Statistic: 'Maximum',
      Period: 86400,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'missing',
    });
    const topic = Object.keys(template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'CityGrid operations alarms' } }))[0];
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    expect(alarm.Properties.OKActions).toEqual([{ Ref: topic }]);
  });

  it('shows the figure on the operations dashboard', () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]!;
    expect(JSON.stringify(dashboard.Properties.DashboardBody)).toContain('CalendarYearMissing');
  });
});
