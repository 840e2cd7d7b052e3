import { Annotations, CfnOutput, RemovalPolicy, Stack, Tags, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { routeList } from '#shared/contract/index';
import { WEB_APPS } from '#infra/web-apps';
import { Api } from '../constructs/api.ts';
import { CalendarCheck } from '../constructs/calendar-check.ts';
import { AuditAnchor } from '../constructs/audit-anchor.ts';
import { CaseEvents } from '../constructs/case-events.ts';
import type { SmsSettings } from '../constructs/city-function.ts';
import { HotlineCallbacks } from '../constructs/hotline-callbacks.ts';
import { Live } from '../constructs/live.ts';
import { Observability } from '../constructs/observability.ts';
import { PhotoProcessing } from '../constructs/photo-processing.ts';
import { Stateful } from '../constructs/stateful.ts';
import { WebHosting } from '../constructs/web-hosting.ts';

export interface CityGridStackProps extends StackProps {
  /** `dev`, `staging`, `prod`…; `prod` retains data and keeps logs longer. */
  stage: string;
  repoRoot: string;
  /** Browser origins of the console and the citizen web app. */
  corsOrigins: string[];
  /** How SMS are sent: SNS by default; Aliyun or Tencent Cloud in the AWS China regions (no SNS SMS there). */
  sms?: Omit<SmsSettings, 'credentials'> | undefined;
  /** Email address that gets the alarms (through the ops topic). */
  opsEmail?: string | undefined;
  /** Only the first N GSIs (`-c tableIndexes=N`), to add new ones to a deployed table one per deploy. */
  tableIndexes?: number | undefined;
  /** Bump after rotating the auth secret so the token public key is published again. */
  authKeyRotation?: string | undefined;
  /** The 12345 hotline's https endpoint for status callbacks (docs/hotline-integration.md). */
  hotlineCallbackUrl?: string | undefined;
  /**
   * The city's rules as JSON texts, for the API functions: `FIELD_CHECK_HOURS` (核实/核查 hours),
   * `POSITION_LIMITS` (岗位评价 filing and dispatch limits), `SCORE_WEIGHTS` (综合评价 weights),
   * `TRACK_RETENTION_DAYS` (how long track points and duty spans are kept).
   */
  settings?: Partial<Record<'FIELD_CHECK_HOURS' | 'POSITION_LIMITS' | 'SCORE_WEIGHTS' | 'TRACK_RETENTION_DAYS', string>> | undefined;
  /** Escalation timing as JSON (ESCALATION_POLICY); the built-in default when omitted. */
  escalationPolicy?: string | undefined;
  /** The console's build (`console/dist`), published to the web bucket behind CloudFront. */
  consoleDir: string;
  /** The citizens' mobile page's build (`mobile/dist`), published under `/m/` beside the console; none: not published. */
  mobileDir?: string | undefined;
  /** The field staff's app's build (`field/dist`), published under `/field/`; none: not published. */
  fieldDir?: string | undefined;
  /** The API URL the console calls (a custom domain); default: this stack's API stage URL. */
  consoleApiUrl?: string | undefined;
  /** A base-map tile URL template for the console's maps (Tianditu, Gaode…); none by default. */
  mapTileUrl?: string | undefined;
  /** Open311 settings of the city (`OPEN311_PUBLIC_READS`, `OPEN311_PUBLIC_PHOTOS`, … — docs/open311.md). */
  open311?: Record<string, string> | undefined;
}

/**
 * One deployable CityGrid: the stateful resources, the stateless API on top of them, and what reacts to
 * case changes (event processor, deadline timers, hotline callbacks).
 */
export class CityGridStack extends Stack {
  readonly stateful: Stateful;
  readonly api: Api;
  readonly photos: PhotoProcessing;
  readonly caseEvents: CaseEvents;
  readonly hotlineCallbacks: HotlineCallbacks;
  readonly live: Live;
  /** Absent in the China regions (see below). */
  readonly web: WebHosting | undefined;
  readonly calendarCheck: CalendarCheck;
  readonly auditAnchor: AuditAnchor;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: CityGridStackProps) {
    super(scope, id, props);
    const production = props.stage === 'prod';
    // Not on the dashboard: cfn-lint 1.51's schema has no Tags there yet, and a dashboard costs nothing to tag for.
    const untagged = { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] };
    Tags.of(this).add('project', 'citygrid', untagged);
    Tags.of(this).add('stage', props.stage, untagged);

    // The console's CloudFront origin may call the API and POST photos to the bucket (unless any origin may).
    // The China regions have CloudFront only as a separate service (an ICP-licensed domain required) and
    // neither CloudFront Functions nor origin access control, which the web hosting uses: there the
    // console and the mobile page are served by the city's own ICP-registered site (docs/deploy.md).
    const chinaRegion = !Token.isUnresolved(this.region) && this.region.startsWith('cn-');
    this.web = chinaRegion ? undefined : new WebHosting(this, 'Web', { apps: WEB_APPS, retain: production, apiUrl: props.consoleApiUrl, tileUrl: props.mapTileUrl });
    if (chinaRegion) Annotations.of(this).addWarningV2('citygrid:web-hosting-china', 'No web hosting in the China regions: serve console/dist and mobile/dist from the city\'s ICP-registered site (docs/deploy.md) and list its origin in corsOrigins.');
    const corsOrigins = props.corsOrigins.includes('*') || !this.web ? props.corsOrigins : [...props.corsOrigins, this.web.origin];

    this.stateful = new Stateful(this, 'Stateful', { retain: production, uploadOrigins: corsOrigins, indexLimit: props.tableIndexes });
    const logRetention = production ? logs.RetentionDays.SIX_MONTHS : logs.RetentionDays.ONE_MONTH;
    // The city CLI (`npm run city -- … --stack NAME`) finds the table by this output.
    new CfnOutput(this, 'TableName', { value: this.stateful.table.tableName, description: 'The single table (npm run city -- --stack reads it)' });
    new CfnOutput(this, 'AuditSecretArn', { value: this.stateful.auditSecret.secretArn, description: 'The audit record\'s secret (npm run city -- audit verify --stack reads it)' });
    // A mainland provider's API key: created empty here, filled in by the operator (docs/deploy.md).
    const provider = props.sms?.provider ?? 'sns';
    const sms: SmsSettings = {
      provider: 'sns',
      ...props.sms,
      ...(provider === 'sns' ? {} : { credentials: this.smsCredentials(production, provider) }),
    };
    this.photos = new PhotoProcessing(this, 'Photos', { stateful: this.stateful, repoRoot: props.repoRoot, logRetention });
    this.api = new Api(this, 'Api', {
      routes: routeList(),
      stateful: this.stateful,
      repoRoot: props.repoRoot,
      corsOrigins,
      sms,
      keyRotation: props.authKeyRotation,
      logRetention,
      // Discovery says `production` only for the prod stage.
      routeEnvironment: { open311: { STAGE: props.stage, ...props.open311 } },
      settings: props.settings as Record<string, string> | undefined,
    });
    this.caseEvents = new CaseEvents(this, 'Events', {
      stateful: this.stateful,
      repoRoot: props.repoRoot,
      sms,
      escalationPolicy: props.escalationPolicy,
      logRetention,
    });
    this.hotlineCallbacks = new HotlineCallbacks(this, 'HotlineCallbacks', {
      topic: this.stateful.caseEvents,
      repoRoot: props.repoRoot,
      callbackUrl: props.hotlineCallbackUrl,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      logRetention,
    });
    this.live = new Live(this, 'Live', { stateful: this.stateful, repoRoot: props.repoRoot, logRetention, deadLetters: this.caseEvents.deadLetters });
    // Tickets point to the WebSocket stage.
    this.api.functions.get('createLiveTicket')?.fn.addEnvironment('LIVE_SOCKET_URL', this.live.url);
    // Each app's config.json and the exact Content-Security-Policy of its index.html (API, live socket, photo bucket, tiles).
    const published = { apiBaseUrl: props.consoleApiUrl ?? this.api.url, socketUrl: this.live.url, tileUrl: props.mapTileUrl, photoOrigin: `https://${this.stateful.photos.bucketRegionalDomainName}` };
    this.web?.publish(WEB_APPS.find((app) => app.name === 'console')!, props.consoleDir, published);
    if (props.mobileDir) this.web?.publish(WEB_APPS.find((app) => app.name === 'mobile')!, props.mobileDir, published);
    if (props.fieldDir) this.web?.publish(WEB_APPS.find((app) => app.name === 'field')!, props.fieldDir, published);
    this.calendarCheck = new CalendarCheck(this, 'Calendar', { table: this.stateful.table, repoRoot: props.repoRoot, logRetention });
    // Every hour the audit record's head goes into an Object Lock bucket (audit verify --anchor latest).
    this.auditAnchor = new AuditAnchor(this, 'AuditAnchor', { table: this.stateful.table, repoRoot: props.repoRoot, logRetention, accessLogs: this.stateful.accessLogs, production });
    new CfnOutput(this, 'AuditAnchorBucket', { value: this.auditAnchor.bucket.bucketName, description: 'The audit anchors\' Object Lock bucket (npm run city -- audit verify --anchor latest --stack reads it)' });
    // Last: it wires every alarm created above to the ops topic.
    this.observability = new Observability(this, 'Ops', {
      httpApi: this.api.httpApi,
      processor: this.caseEvents.processor,
      escalate: this.caseEvents.tasks.escalate,
      calendarMissing: this.calendarCheck.metric,
      deadLetterQueues: { 'event processor': this.caseEvents.deadLetters, 'hotline callbacks': this.hotlineCallbacks.deadLetters },
      opsEmail: props.opsEmail,
    });
  }

  private smsCredentials(retain: boolean, provider: string): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, 'SmsCredentials', {
      description: `CityGrid ${provider} SMS API key: ${provider === 'aliyun' ? '{ "accessKeyId", "accessKeySecret" }' : '{ "secretId", "secretKey" }'} (set by the operator)`,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'A key of the SMS provider (Aliyun/Tencent Cloud), issued in their console; it is rotated there and pasted here by the operator (docs/deploy.md).',
    });
    return secret;
  }
}
