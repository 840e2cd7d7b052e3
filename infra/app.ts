/**
 * The CDK app: `npm run synth` (offline, no AWS account needed) and `npx cdk deploy -c stage=NAME`.
 * cdk-nag's AwsSolutions rules run on every synth; each suppression carries its reason.
 */
import { App, Validations, type CfnElement } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, smsProviderProblems } from '#shared/config/index';
import { ensureWebAppBuilt } from './local/web-apps.ts';
import { acknowledgeNagFindings } from './nag.ts';
import { WEB_APPS } from './web-apps.ts';
import { CityGridStack } from './stacks/citygrid-stack.ts';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
if (!/^[a-z][a-z0-9-]{1,20}$/.test(stage)) throw new Error(`stage must be lower-case letters, digits and dashes, got "${stage}"`);
const corsOrigins = String(app.node.tryGetContext('corsOrigins') ?? '*').split(',');

// https only: checked by the HotlineCallbacks construct, which fails the synth otherwise.
const hotlineCallbackUrl = app.node.tryGetContext('hotlineCallbackUrl') as string | undefined;

// `-c escalationPolicy='{…}'` gives text, cdk.json may give an object. Checked with the schema the tasks
// parse it with, so a typo fails the synth instead of every deadline timer after the deploy.
const policyContext = app.node.tryGetContext('escalationPolicy') as unknown;
const escalationPolicy = policyContext === undefined || typeof policyContext === 'string' ? policyContext : JSON.stringify(policyContext);
if (escalationPolicy !== undefined) parseConfig({ TABLE_NAME: 'synth-check', ESCALATION_POLICY: escalationPolicy });

// The city's rules for the API functions, likewise text or object, checked here with the functions' own schema.
const settings: Record<string, string> = {};
for (const [key, variable] of [['fieldCheckHours', 'FIELD_CHECK_HOURS'], ['positionLimits', 'POSITION_LIMITS'], ['scoreWeights', 'SCORE_WEIGHTS'], ['trackRetentionDays', 'TRACK_RETENTION_DAYS']] as const) {
  const value = app.node.tryGetContext(key) as unknown;
  if (value === undefined) continue;
  settings[variable] = typeof value === 'string' ? value : JSON.stringify(value);
}
if (Object.keys(settings).length > 0) parseConfig({ TABLE_NAME: 'synth-check', ...settings });

// The console, the citizens' mobile page and the field app ship as static files: built here (offline, only
// when stale) and published by the stack under /console/, /m/ and /field/ behind one CloudFront distribution.
const consoleApp = WEB_APPS.find((a) => a.name === 'console')!;
const mobileApp = WEB_APPS.find((a) => a.name === 'mobile')!;
const fieldApp = WEB_APPS.find((a) => a.name === 'field')!;
for (const webApp of [consoleApp, mobileApp, fieldApp]) await ensureWebAppBuilt(repoRoot, webApp, (line) => console.error(line));
// SMS: `-c smsProvider=sns|aliyun|tencent` (default sns) and its settings, checked here with the schema
// and rules the functions apply at start-up, so a missing template id fails the synth, not an SMS.
const text = (key: string) => {
  const value = app.node.tryGetContext(key) as unknown;
  return value === undefined || typeof value === 'string' ? value : JSON.stringify(value);
};
const smsEnv = {
  SMS_PROVIDER: text('smsProvider'),
  SMS_SIGNATURE: text('smsSignature'),
  SMS_TEMPLATES: text('smsTemplates'),
  SMS_SENDER_ID: text('smsSenderId'),
  TENCENT_SMS_APP_ID: text('tencentSmsAppId'),
  SMS_PROVIDER_REGION: text('smsProviderRegion'),
};
const smsConfig = parseConfig({ TABLE_NAME: 'synth-check', ...smsEnv });
const smsProblems = smsProviderProblems(smsConfig, { needsSecret: false });
if (smsProblems.length > 0) throw new Error(`SMS settings: ${smsProblems.join('; ')}`);

// `-c region=cn-north-1` (or CDK_DEFAULT_REGION) pins the region, so ARNs carry its partition (aws-cn).
const region = (app.node.tryGetContext('region') as string | undefined) ?? process.env.CDK_DEFAULT_REGION;
const account = process.env.CDK_DEFAULT_ACCOUNT;

// `-c tableIndexes=N`: only the first N GSIs, to add the new ones to a deployed table one deploy at a time.
const indexContext = app.node.tryGetContext('tableIndexes') as unknown;
const tableIndexes = indexContext === undefined ? undefined : Number(indexContext);
if (tableIndexes !== undefined && !(Number.isInteger(tableIndexes) && tableIndexes >= 1)) throw new Error(`tableIndexes must be a whole number ≥ 1, got "${String(indexContext)}"`);

// `-c open311='{"OPEN311_PUBLIC_READS":"off"}'` (or an object in cdk.json): checked like the function parses it.
const open311Context = app.node.tryGetContext('open311') as unknown;
const open311 = open311Context === undefined ? undefined : (typeof open311Context === 'string' ? JSON.parse(open311Context) : open311Context) as Record<string, string>;
if (open311 !== undefined) {
  if (Object.keys(open311).some((name) => !name.startsWith('OPEN311_'))) throw new Error('open311 context: OPEN311_* settings only');
  parseConfig({ TABLE_NAME: 'synth-check', ...open311 });
}

const stack = new CityGridStack(app, `CityGrid-${stage}`, {
  stage,
  repoRoot,
  corsOrigins,
  sms: {
    provider: smsConfig.SMS_PROVIDER,
    signature: smsEnv.SMS_SIGNATURE,
    templates: smsEnv.SMS_TEMPLATES,
    senderId: smsEnv.SMS_SENDER_ID,
    tencentAppId: smsEnv.TENCENT_SMS_APP_ID,
    providerRegion: smsEnv.SMS_PROVIDER_REGION,
  },
  opsEmail: app.node.tryGetContext('opsEmail') as string | undefined,
  tableIndexes,
  authKeyRotation: app.node.tryGetContext('authKeyRotation') as string | undefined,
  hotlineCallbackUrl,
  escalationPolicy,
  settings,
  consoleDir: resolve(repoRoot, consoleApp.folder, 'dist'),
  mobileDir: resolve(repoRoot, mobileApp.folder, 'dist'),
  fieldDir: resolve(repoRoot, fieldApp.folder, 'dist'),
  consoleApiUrl: app.node.tryGetContext('apiUrl') as string | undefined,
  mapTileUrl: app.node.tryGetContext('mapTileUrl') as string | undefined,
  open311,
  ...(account || region ? { env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } } : {}),
});
acknowledgeNagFindings(
  stack,
  stack.getLogicalId(stack.stateful.table.node.defaultChild as CfnElement),
  stack.getLogicalId(stack.stateful.photos.node.defaultChild as CfnElement),
);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
