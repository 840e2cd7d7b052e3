/**
 * The CDK app: `npm run synth` (offline, no AWS account needed) and `npx cdk deploy -c stage=NAME`.
 * cdk-nag's AwsSolutions rules run on every synth; each suppression carries its reason.
 */
import { App, Validations, type CfnElement } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '#shared/config/index';
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

// The console ships as static files: built here (offline, only when stale) and published by the stack.
// (The mobile page is served locally; publishing it next to the console is a follow-up, docs/mobile.md.)
const consoleApp = WEB_APPS.find((a) => a.name === 'console')!;
await ensureWebAppBuilt(repoRoot, consoleApp, (line) => console.error(line));

const stack = new CityGridStack(app, `CityGrid-${stage}`, {
  stage,
  repoRoot,
  corsOrigins,
  smsSenderId: app.node.tryGetContext('smsSenderId') as string | undefined,
  authKeyRotation: app.node.tryGetContext('authKeyRotation') as string | undefined,
  hotlineCallbackUrl,
  escalationPolicy,
  consoleDir: resolve(repoRoot, consoleApp.folder, 'dist'),
  consoleApiUrl: app.node.tryGetContext('apiUrl') as string | undefined,
  mapTileUrl: app.node.tryGetContext('mapTileUrl') as string | undefined,
  ...(process.env.CDK_DEFAULT_ACCOUNT ? { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } } : {}),
});
acknowledgeNagFindings(
  stack,
  stack.getLogicalId(stack.stateful.table.node.defaultChild as CfnElement),
  stack.getLogicalId(stack.stateful.photos.node.defaultChild as CfnElement),
);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
