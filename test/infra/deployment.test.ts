import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations, type CfnElement } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledgeNagFindings } from '#infra/nag';
import { REPO_ROOT } from '#infra/local/platform';
import { CityGridStack, type CityGridStackProps } from '#infra/stacks/citygrid-stack';
import { SMS_TEMPLATES } from '#shared/domain/messaging/sms-templates';
import { consoleFixture } from '../support/stack.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Synthesizes a stack (no bundling: the assertions read the template) into a temp folder. */
function synth(props: Partial<CityGridStackProps> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'citygrid-synth-'));
  dirs.push(outdir);
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CityGridStack(app, 'CityGrid-test', { stage: 'test', repoRoot: REPO_ROOT, corsOrigins: ['https://console.example'], consoleDir: consoleFixture(), ...props });
  const assembly = app.synth();
  return { stack, template: Template.fromStack(stack), file: join(assembly.directory, stack.templateFile) };
}

const templateIds = (prefix: string) => JSON.stringify(Object.fromEntries(Object.keys(SMS_TEMPLATES).map((id, i) => [id, { providerTemplateId: `${prefix}${i}` }])));

describe('deploying: operations', () => {
  const { stack, template } = synth({ opsEmail: 'ops@city.example' });

  it('names the table in the TableName output (the city CLI finds it there)', () => {
    template.hasOutput('TableName', { Value: { Ref: stack.getLogicalId(stack.stateful.table.node.defaultChild as never) } });
  });

  it('sends every alarm (and its recovery) to the ops topic, which mails the ops address', () => {
    const topic = { Ref: stack.getLogicalId(stack.observability.opsTopic.node.defaultChild as never) };
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(6);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.OKActions).toEqual([topic]);
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@city.example', TopicArn: topic });
  });

  it('has a dashboard with requests, errors, p99, processor lag, dead letters and overdue escalations', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const figure of ['API requests', 'API errors', 'p99', 'IteratorAge', 'ApproximateNumberOfMessagesVisible', 'overdue', 'Alarm status']) expect(body).toContain(figure);
  });
});

describe('deploying: new indexes on a deployed table', () => {
  it('creates only the first N GSIs with tableIndexes (one more per deploy)', () => {
    const { template } = synth({ tableIndexes: 4 });
    const table = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))[0]!;
    expect(table.Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName)).toEqual(['gsi1', 'gsi2', 'gsi3', 'gsi4']);
  });
});

describe('deploying: SMS providers and the China regions', () => {
  it('synthesizes for cn-north-1 with aws-cn ARNs and, with Aliyun, no SMS grant on SNS but the key secret', () => {
    const { stack, template } = synth({ env: { region: 'cn-north-1' }, sms: { provider: 'aliyun', signature: '衡阳数字城管', templates: templateIds('SMS_') } });
    const json = JSON.stringify(template.toJSON());
    // Every ARN is built on the partition (aws-cn in cn-north-1), none is written for the aws partition.
    expect(json).toContain('cn-north-1');
    expect(json).toContain('"arn:",{"Ref":"AWS::Partition"}');
    expect(json).not.toMatch(/arn:aws:/);
    // SNS: the case-events topic only; no statement for phone numbers (NotResource) anywhere.
    expect(json).not.toContain('NotResource');
    const sender = stack.api.functions.get('sendSmsCode')!;
    const environment = template.findResources('AWS::Lambda::Function')[stack.getLogicalId(sender.fn.node.defaultChild as never)]!.Properties.Environment.Variables;
    expect(environment).toMatchObject({ SMS_PROVIDER: 'aliyun', SMS_SIGNATURE: '衡阳数字城管', SMS_TEMPLATES: templateIds('SMS_'), SMS_CREDENTIALS_SECRET_ARN: { Ref: expect.stringMatching(/^SmsCredentials/) } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: Match.stringLikeRegexp('SmsCredentials') } })]) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: stack.getLogicalId(stack.stateful.caseEvents.node.defaultChild as never) } })]) },
    });
  });

  it('gives every API function the city\'s rule settings (field-check hours, position limits, score weights)', () => {
    const settings = { FIELD_CHECK_HOURS: '{"verify-report":2,"check-result":4}', POSITION_LIMITS: '{"filingHours":0.5,"dispatchHours":2}' };
    const { stack, template } = synth({ settings });
    for (const route of ['fileCase', 'getStaffStats', 'requestFieldCheck'] as const) {
      const fn = template.findResources('AWS::Lambda::Function')[stack.getLogicalId(stack.api.functions.get(route)!.fn.node.defaultChild as never)]!;
      expect(fn.Properties.Environment.Variables).toMatchObject(settings);
    }
  });

  it('leaves the web hosting out of the China regions (no CloudFront Functions or OAC there) and says so', () => {
    const { stack, template } = synth({ env: { region: 'cn-north-1' } });
    expect(stack.web).toBeUndefined();
    for (const type of ['AWS::CloudFront::Distribution', 'AWS::CloudFront::Function', 'AWS::CloudFront::OriginAccessControl', 'Custom::CDKBucketDeployment']) template.resourceCountIs(type, 0);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('No web hosting in the China regions'));
    expect(warnings).toHaveLength(1);
    // The API's CORS has only the listed origins (the city's own site), no distribution.
    expect(Object.values(template.findResources('AWS::ApiGatewayV2::Api'))[0]!.Properties.CorsConfiguration.AllowOrigins).toEqual(['https://console.example']);
    // Elsewhere the distribution is there.
    expect(synth().stack.web).toBeDefined();
  });

  it('keeps SMS on SNS by default, limited to phone numbers of the partition', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', NotResource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] } })]) },
    });
    expect(Object.keys(template.findResources('AWS::SecretsManager::Secret')).some((id) => id.includes('SmsCredentials'))).toBe(false);
  });
});

/**
 * cfn-lint (AWS's CloudFormation linter, the Python tool) on the synthesized template. Suppressed rules,
 * each with its reason:
 * - W3005 (DependsOn already enforced by a GetAtt): CDK's functions and custom-resource providers
 *   depend on their role explicitly as well as through `Role: GetAtt`; redundant, harmless, CDK's output.
 * - W3045 ('AccessControl' is a legacy property): CDK grants S3 log delivery on the photo access-log
 *   bucket with the `LogDeliveryWrite` ACL. Moving to a bucket policy means disabling ACLs on a deployed
 *   data bucket (an ownership change S3 refuses while the ACL grants the log delivery group), so it is a
 *   migration of its own, not a lint fix.
 */
const CFN_LINT_IGNORED = ['W3005', 'W3045'];

describe('cfn-lint', () => {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });

  it('is installed (cfn-lint 1.x, the Python package)', () => {
    expect(probe.error, 'cfn-lint is not on the PATH (pip install cfn-lint)').toBeUndefined();
    expect(probe.stdout).toMatch(/cfn-lint 1\./);
  });

  it.each([
    ['the default stack (SNS, any region)', {}],
    ['a China-region stack with Aliyun SMS', { env: { region: 'cn-north-1' }, sms: { provider: 'aliyun' as const, templates: templateIds('SMS_') }, opsEmail: 'ops@city.example' }],
  ])('finds nothing in %s', (_name, props) => {
    const { file } = synth(props);
    // cfn-lint wants a template file; the synthesized one is JSON already.
    const copy = join(dirs.at(-1)!, 'lint.template.json');
    writeFileSync(copy, readFileSync(file));
    const result = spawnSync('cfn-lint', ['--format', 'parseable', '--ignore-checks', ...CFN_LINT_IGNORED, '--', copy], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);
});

describe('cdk-nag (AwsSolutions), as `npm run synth` applies it', () => {
  // The CDK CLI pins the environment (CDK_DEFAULT_REGION/ACCOUNT), so names such as the CDK asset
  // bucket's are concrete there: the acknowledgements must match them in that form too.
  it.each([
    ['an unpinned environment', {}],
    ['a pinned account and region', { env: { account: '123456789012', region: 'us-east-1' } }],
  ])('finds nothing unacknowledged in %s', (_name, props) => {
    const outdir = mkdtempSync(join(tmpdir(), 'citygrid-nag-'));
    dirs.push(outdir);
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new CityGridStack(app, 'CityGrid-nag', { stage: 'test', repoRoot: REPO_ROOT, corsOrigins: ['https://console.example'], consoleDir: consoleFixture(), ...props });
    acknowledgeNagFindings(stack, stack.getLogicalId(stack.stateful.table.node.defaultChild as CfnElement), stack.getLogicalId(stack.stateful.photos.node.defaultChild as CfnElement));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    expect(() => app.synth()).not.toThrow();
  }, 120_000);
});
