import { RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { routeList } from '#shared/contract/index';
import { WEB_APPS } from '#infra/web-apps';
import { Api } from '../constructs/api.ts';
import { CaseEvents } from '../constructs/case-events.ts';
import { HotlineCallbacks } from '../constructs/hotline-callbacks.ts';
import { PhotoProcessing } from '../constructs/photo-processing.ts';
import { Stateful } from '../constructs/stateful.ts';
import { WebHosting } from '../constructs/web-hosting.ts';

export interface CityGridStackProps extends StackProps {
  /** `dev`, `staging`, `prod`…; `prod` retains data and keeps logs longer. */
  stage: string;
  repoRoot: string;
  /** Browser origins of the console and the citizen web app. */
  corsOrigins: string[];
  smsSenderId?: string | undefined;
  /** Bump after rotating the auth secret so the token public key is published again. */
  authKeyRotation?: string | undefined;
  /** The 12345 hotline's https endpoint for status callbacks (docs/hotline-integration.md). */
  hotlineCallbackUrl?: string | undefined;
  /** Escalation timing as JSON (ESCALATION_POLICY); the built-in default when omitted. */
  escalationPolicy?: string | undefined;
  /** The console's build (`console/dist`), published to the web bucket behind CloudFront. */
  consoleDir: string;
  /** The API URL the console calls (a custom domain); default: this stack's API stage URL. */
  consoleApiUrl?: string | undefined;
  /** A base-map tile URL template for the console's maps (Tianditu, Gaode…); none by default. */
  mapTileUrl?: string | undefined;
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
  readonly web: WebHosting;

  constructor(scope: Construct, id: string, props: CityGridStackProps) {
    super(scope, id, props);
    const production = props.stage === 'prod';
    Tags.of(this).add('project', 'citygrid');
    Tags.of(this).add('stage', props.stage);

    // The console's CloudFront origin may call the API and POST photos to the bucket (unless any origin may).
    this.web = new WebHosting(this, 'Web', { apps: WEB_APPS, retain: production });
    const corsOrigins = props.corsOrigins.includes('*') ? props.corsOrigins : [...props.corsOrigins, this.web.origin];

    this.stateful = new Stateful(this, 'Stateful', { retain: production, uploadOrigins: corsOrigins });
    const logRetention = production ? logs.RetentionDays.SIX_MONTHS : logs.RetentionDays.ONE_MONTH;
    this.photos = new PhotoProcessing(this, 'Photos', { stateful: this.stateful, repoRoot: props.repoRoot, logRetention });
    this.api = new Api(this, 'Api', {
      routes: routeList(),
      stateful: this.stateful,
      repoRoot: props.repoRoot,
      corsOrigins,
      smsSenderId: props.smsSenderId,
      keyRotation: props.authKeyRotation,
      logRetention,
    });
    this.caseEvents = new CaseEvents(this, 'Events', {
      stateful: this.stateful,
      repoRoot: props.repoRoot,
      smsSenderId: props.smsSenderId,
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
    this.web.publish(WEB_APPS.find((app) => app.name === 'console')!, props.consoleDir, { apiBaseUrl: props.consoleApiUrl ?? this.api.url, tileUrl: props.mapTileUrl });
  }
}
