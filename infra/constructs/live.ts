import { type CfnElement, CfnOutput, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { CityFunction } from './city-function.ts';
import type { Stateful } from './stateful.ts';

export interface LiveProps {
  stateful: Stateful;
  repoRoot: string;
  logRetention: logs.RetentionDays;
  /** The effects' dead-letter queue (the event processor's): fan-outs that fail every retry go there. */
  deadLetters: sqs.IQueue;
}

/** The stage's name, and so the path of the socket URL (the local gateway serves the same `/live`). */
export const LIVE_STAGE = 'live';

/**
 * 实时推送 — the command center's live channel (docs/architecture.md, "Live"): an API Gateway WebSocket
 * API whose `$connect` takes a single-use ticket, a fan-out function subscribed to `case-events` that
 * stores each message and posts it to the sockets in scope (`execute-api:ManageConnections` on this
 * stage only), and a re-check every minute that closes the sockets of ended sessions.
 */
export class Live extends Construct {
  readonly api: apigw.WebSocketApi;
  readonly stage: apigw.WebSocketStage;
  /** `wss://…/live`: what tickets point to. */
  readonly url: string;
  readonly socket: CityFunction;
  readonly fanOut: CityFunction;
  readonly recheck: CityFunction;

  constructor(scope: Construct, id: string, props: LiveProps) {
    super(scope, id);
    const { table, caseEvents } = props.stateful;
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.socket = new CityFunction(this, 'Socket', {
      entry: 'functions/live/socket.ts',
      repoRoot: props.repoRoot,
      description: 'Live WebSocket: $connect (single-use ticket), $disconnect, $default',
      logRetention: props.logRetention,
      logGroup,
    }).bindTable(table, 'readWrite');
    const integration = new WebSocketLambdaIntegration('SocketIntegration', this.socket.fn);
    this.api = new apigw.WebSocketApi(this, 'Api', {
      description: 'CityGrid live updates for the command center',
      connectRouteOptions: { integration },
      disconnectRouteOptions: { integration },
      defaultRouteOptions: { integration },
    });
    this.stage = new apigw.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: LIVE_STAGE,
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention })) },
    });
    this.url = this.stage.url;
    // `$connect` is authorized by the function (the ticket), as browsers cannot send headers on a WebSocket.
    for (const route of ['$connect', '$disconnect', '$default']) {
      Validations.of(this.api).acknowledge({
        id: `AwsSolutions::AwsSolutions-APIG4`,
        reason: `${route}: a WebSocket is opened with a single-use ticket from POST /v1/live/tickets (an authenticated route), checked by the $connect function; browsers cannot send an Authorization header.`,
      });
    }

    const environment = { LIVE_MANAGEMENT_ENDPOINT: this.stage.callbackUrl };
    this.socket.fn.addEnvironment('LIVE_MANAGEMENT_ENDPOINT', this.stage.callbackUrl);
    this.fanOut = new CityFunction(this, 'FanOut', {
      entry: 'functions/live/fan-out.ts',
      repoRoot: props.repoRoot,
      description: 'Live: each case-events message to the sockets in scope (and stored for missed)',
      logRetention: props.logRetention,
      logGroup,
      timeout: Duration.seconds(30),
      environment,
    }).bindTable(table, 'readWrite');
    this.stage.grantManagementApiAccess(this.fanOut.fn);
    caseEvents.addSubscription(new subscriptions.LambdaSubscription(this.fanOut.fn));
    // SNS invokes asynchronously: two retries, then the effects' dead-letter queue (alarmed).
    this.fanOut.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new SqsDestination(props.deadLetters) });

    this.recheck = new CityFunction(this, 'Recheck', {
      entry: 'functions/live/recheck.ts',
      repoRoot: props.repoRoot,
      description: 'Live: every minute, closes the sockets of ended sessions, disabled accounts and changed roles',
      logRetention: props.logRetention,
      logGroup,
      timeout: Duration.seconds(50),
      environment,
    }).bindTable(table, 'readWrite');
    this.stage.grantManagementApiAccess(this.recheck.fn);
    // grantManagementApiAccess names this stage's connections (`@connections/*`): any socket of this API only.
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const apiId = stack.getLogicalId(this.api.node.defaultChild as CfnElement);
    Validations.of(stack).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${region}:${account}:<${apiId}>/${LIVE_STAGE}/*/@connections/*]`,
      reason: 'The fan-out and re-check functions post to and close the sockets of this one WebSocket stage; connection ids are not known in advance.',
    });
    new events.Rule(this, 'EveryMinute', {
      description: 'CityGrid: re-check the live sockets\' sessions every minute',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.recheck.fn, { retryAttempts: 0 })],
    });
    new CfnOutput(this, 'Url', { value: this.url, description: 'The live WebSocket (tickets point to it)' });
  }
}
