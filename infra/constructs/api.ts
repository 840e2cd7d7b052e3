import { CfnOutput, CustomResource, Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, routeList, type RouteEntry, type RouteId } from '#shared/contract/index';
import { getOpenApi } from '#shared/contract/system';
import { buildOpenApi } from '#shared/http/openapi';
import { PREBUILT_OPENAPI_FILE } from '#shared/http/prebuilt-openapi';
import { CityFunction, type SmsSettings } from './city-function.ts';
import type { Stateful } from './stateful.ts';

export interface ApiProps {
  routes: RouteEntry[];
  stateful: Stateful;
  repoRoot: string;
  corsOrigins: string[];
  logRetention: logs.RetentionDays;
  /** Change to re-publish the token public key after rotating the auth secret (docs/operations.md). */
  keyRotation?: string | undefined;
  /** Extra environment of some routes' functions (e.g. the Open311 settings of `open311`). */
  routeEnvironment?: Partial<Record<RouteId, Record<string, string>>>;
  /** The city's rule settings every API function reads (`FIELD_CHECK_HOURS`, `POSITION_LIMITS`, `SCORE_WEIGHTS`). */
  settings?: Record<string, string> | undefined;
  /** How SMS are sent (given to the routes that `need` SMS only). */
  sms: SmsSettings;
}

/**
 * The HTTP API: one function per route-table entry (local-only routes excluded), each granted exactly
 * what its entry `needs`. The `$default` entry becomes the API's default route, so unknown paths get
 * the contract's 404 instead of API Gateway's own body.
 */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  /** The API's base URL (the default stage). */
  readonly url: string;
  readonly functions = new Map<string, CityFunction>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const deployed = props.routes.filter((route) => route.access !== 'local');

    // The token key's public half, published at deploy time: authenticated functions verify with it and
    // never read the secret, so only the auth functions can sign tokens.
    const publisher = new CityFunction(this, 'PublicKeyPublisher', {
      entry: 'functions/system/publish-public-key.ts',
      repoRoot: props.repoRoot,
      description: 'Deploy time: publishes the public key of the access-token signing key',
      logRetention: props.logRetention,
    }).bindAuthSecret(props.stateful.authSecret);
    const provider = new cr.Provider(this, 'PublicKeyProvider', { onEventHandler: publisher.fn });
    Validations.of(provider).acknowledge({ id: 'AwsSolutions::AwsSolutions-L1', reason: 'The custom-resource framework function is managed by CDK.' });
    Validations.of(provider).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(publisher.fn.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'The CDK provider framework may invoke any version of the one publisher function.',
    });
    const publicKey = new CustomResource(this, 'AuthPublicKey', { serviceToken: provider.serviceToken, properties: { rotation: props.keyRotation ?? '1' } });
    const publicJwk = publicKey.getAttString('publicJwk');

    // Routes granted the same get one execution role: least privilege per route is unchanged (the
    // grants are identical), and the stack stays well below CloudFormation's 500 resources (a role and
    // a policy per function would be ~120 of them).
    const roles = new Map<string, iam.Role>();
    const roleFor = (route: RouteEntry) => {
      const authenticated = Array.isArray(route.access);
      const needs = route.needs ?? {};
      const profile = [
        `table-${needs.table ?? (authenticated ? 'read' : 'none')}`,
        ...(needs.bucket ? [`bucket-${needs.bucket}`] : []),
        ...(needs.sms ? ['sms'] : []),
        ...(needs.signingKey ? ['signing-key'] : []),
        ...(needs.hotlineSecret ? ['hotline-secret'] : []),
        ...(needs.cursorKey ? ['cursor-key'] : []),
        ...(needs.auditKey ? ['audit-key'] : []),
        ...(needs.liveTopic ? ['live-topic'] : []),
      ].join('_');
      let role = roles.get(profile);
      if (!role) {
        role = new iam.Role(this, `Role_${profile}`, {
          assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
          description: `CityGrid API functions granted: ${profile.replaceAll('_', ', ')}`,
          managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
        });
        roles.set(profile, role);
      }
      return role;
    };

    // One log group for every route's function (see CityFunctionProps.logGroup): a route costs its
    // function, permission, integration and route, not a log group as well.
    const routeLogs = new logs.LogGroup(this, 'RouteLogs', { retention: props.logRetention });
    for (const route of deployed) {
      const fn = new CityFunction(this, pascal(route.id), {
        logGroup: routeLogs,
        role: roleFor(route),
        entry: route.handler,
        repoRoot: props.repoRoot,
        description: `${route.method} ${route.path} — ${route.summary}`.slice(0, 256),
        logRetention: props.logRetention,
        environment: { CORS_ORIGINS: props.corsOrigins.join(','), ...props.settings, ...props.routeEnvironment?.[route.id] },
        sms: route.needs?.sms ? props.sms : undefined,
        // The document is the same for every request of a deployment: written at synth, read at start.
        files: route.handler === getOpenApi.handler ? prebuiltOpenApiFiles() : undefined,
      });
      // Routes with roles verify tokens with the public key and re-read the caller from the table.
      const authenticated = Array.isArray(route.access);
      const table = route.needs?.table ?? (authenticated ? 'read' : undefined);
      if (table) fn.bindTable(props.stateful.table, table);
      if (route.needs?.bucket) fn.bindBucket(props.stateful.photos, route.needs.bucket);
      if (authenticated) fn.fn.addEnvironment('AUTH_PUBLIC_JWK', publicJwk);
      if (route.needs?.signingKey) fn.bindAuthSecret(props.stateful.authSecret);
      if (route.needs?.hotlineSecret) fn.bindHotlineSecret(props.stateful.hotlineSecret);
      if (route.needs?.cursorKey) fn.bindCursorSecret(props.stateful.cursorSecret);
      if (route.needs?.auditKey) fn.bindAuditSecret(props.stateful.auditSecret);
      if (route.needs?.liveTopic) {
        props.stateful.caseEvents.grantPublish(fn.fn);
        fn.fn.addEnvironment('CASE_EVENTS_TOPIC_ARN', props.stateful.caseEvents.topicArn);
      }
      this.functions.set(route.id, fn);
    }

    // API Gateway invokes the route functions with one integration role that may invoke exactly them
    // (their unqualified ARNs: no wildcard), instead of one Lambda permission per function: ~80
    // resources fewer (docs/decisions.md). The grants are customer-managed policies of at most
    // INVOKE_ARNS_PER_POLICY functions each (a managed policy holds 6,144 characters, an inline one 10,240
    // for the whole role), given to the role itself so every integration waits for them.
    const routeFunctions = [...this.functions.values()].map((fn) => fn.fn);
    const invokePolicies = chunks(routeFunctions, INVOKE_ARNS_PER_POLICY).map(
      (fns, index) =>
        new iam.ManagedPolicy(this, `InvokeRoutes${index + 1}`, {
          description: `CityGrid API: the HTTP API may invoke these route functions (${index + 1} of ${Math.ceil(routeFunctions.length / INVOKE_ARNS_PER_POLICY)})`,
          statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: fns.map((fn) => fn.functionArn) })],
        }),
    );
    const invokeRole = new iam.Role(this, 'InvokeRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'CityGrid HTTP API: invokes the route functions',
      managedPolicies: invokePolicies,
    });
    const integrationOf = (route: RouteEntry) => new RoleLambdaIntegration(`${pascal(route.id)}Integration`, this.functions.get(route.id)!.fn, invokeRole);
    const fallback = deployed.find((route) => route.path === '$default');
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'CityGrid API v1',
      createDefaultStage: false,
      ...(fallback ? { defaultIntegration: integrationOf(fallback) } : {}),
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [apigw.CorsHttpMethod.ANY],
        allowHeaders: [...CORS_ALLOWED_HEADERS],
        exposeHeaders: [...CORS_EXPOSED_HEADERS],
        maxAge: Duration.minutes(10),
      },
    });
    for (const route of deployed) {
      if (route.path === '$default') continue;
      this.httpApi.addRoutes({ path: route.path, methods: [apigw.HttpMethod[route.method]], integration: integrationOf(route) });
    }

    // The default stage, with JSON access logs and a throttle that protects the table from a flood.
    const stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 500, burstLimit: 1000 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention })),
      },
    });
    this.url = stage.url;
    new CfnOutput(this, 'Url', { value: stage.url });
  }
}

const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

/** What the OpenAPI function finds beside its bundle: the deployed document, generated at synth from the route table's schemas. */
export const prebuiltOpenApiFiles = () => ({ [PREBUILT_OPENAPI_FILE]: JSON.stringify(buildOpenApi(routeList(), { deployed: true })) });

/**
 * Function ARNs per invoke policy: a CloudFormation-named function's ARN is at most ~120 characters
 * (`arn:aws-cn:lambda:<region>:<account>:function:` and a 64-character name), so 40 of them stay well
 * inside a managed policy's 6,144 characters.
 */
export const INVOKE_ARNS_PER_POLICY = 40;

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * A Lambda proxy integration (payload 2.0, as `HttpLambdaIntegration` makes) that API Gateway calls with
 * an integration role's credentials, so the function needs no resource-based permission.
 */
class RoleLambdaIntegration extends apigw.HttpRouteIntegration {
  constructor(
    id: string,
    private readonly handler: lambda.IFunction,
    private readonly role: iam.IRole,
  ) {
    super(id);
  }

  bind(): apigw.HttpRouteIntegrationConfig {
    return {
      type: apigw.HttpIntegrationType.AWS_PROXY,
      uri: this.handler.functionArn,
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      credentials: apigw.IntegrationCredentials.fromRole(this.role),
    };
  }
}
