import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CityFunction } from '#infra/constructs/city-function';
import type { CityGridStack } from '#infra/stacks/citygrid-stack';
import { synthTemplate } from '../support/stack.ts';

type Statement = { Action: string | string[]; Effect: string; Resource?: unknown };

let stack: CityGridStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synthTemplate());
});

const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const resources = () => template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const ofType = (type: string) => Object.entries(resources()).filter(([, r]) => r.Type === type);
function statementsOf(fn: CityFunction): Statement[] {
  const role = idOf(fn.fn.role!);
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: role })))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

describe('the live channel (API Gateway WebSocket API)', () => {
  it('routes $connect, $disconnect and $default to the socket function, on a stage named live with access logs and a throttle', () => {
    const apis = ofType('AWS::ApiGatewayV2::Api').filter(([, r]) => r.Properties.ProtocolType === 'WEBSOCKET');
    expect(apis).toHaveLength(1);
    const apiId = { Ref: apis[0]![0] };
    const routes = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => JSON.stringify(r.Properties.ApiId) === JSON.stringify(apiId));
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(['$connect', '$default', '$disconnect']);
    const integrations = ofType('AWS::ApiGatewayV2::Integration').filter(([, r]) => JSON.stringify(r.Properties.ApiId) === JSON.stringify(apiId));
    for (const [, integration] of integrations) expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(idOf(stack.live.socket.fn));
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage').find(([, r]) => JSON.stringify(r.Properties.ApiId) === JSON.stringify(apiId))!;
    expect(stage.Properties).toMatchObject({ StageName: 'live', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 } });
    expect(stage.Properties.AccessLogSettings.DestinationArn).toBeDefined();
  });

  it('lets only the fan-out and the re-check manage connections, and only of this API\'s live stage', () => {
    const managers = ofType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.PolicyDocument.Statement as Statement[]).some((s) => [s.Action].flat().includes('execute-api:ManageConnections')))
      .map(([id]) => id);
    expect(managers.sort()).toEqual([idOf(stack.live.fanOut.fn.role!.node.findChild('DefaultPolicy')), idOf(stack.live.recheck.fn.role!.node.findChild('DefaultPolicy'))].sort());
    for (const fn of [stack.live.fanOut, stack.live.recheck]) {
      const manage = statementsOf(fn).filter((s) => [s.Action].flat().includes('execute-api:ManageConnections'));
      expect(manage).toHaveLength(1);
      const resource = JSON.stringify(manage[0]!.Resource);
      expect(resource).toContain(idOf(stack.live.api));
      expect(resource).toContain('/live/*/@connections/*');
      expect(resource).not.toContain('"*"');
    }
    expect(statementsOf(stack.live.socket).some((s) => [s.Action].flat().includes('execute-api:ManageConnections'))).toBe(false);
  });

  it('subscribes the fan-out to case-events and sends what fails twice more to the effects\' dead-letter queue', () => {
    const subscription = ofType('AWS::SNS::Subscription').find(([, s]) => s.Properties.Protocol === 'lambda' && JSON.stringify(s.Properties.Endpoint).includes(idOf(stack.live.fanOut.fn)));
    expect(subscription?.[1].Properties.TopicArn).toEqual({ Ref: idOf(stack.stateful.caseEvents) });
    const [, config] = ofType('AWS::Lambda::EventInvokeConfig').find(([, c]) => JSON.stringify(c.Properties.FunctionName).includes(idOf(stack.live.fanOut.fn)))!;
    expect(config.Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [idOf(stack.caseEvents.deadLetters), 'Arn'] } } } });
  });

  it('re-checks the sockets every minute', () => {
    const rule = ofType('AWS::Events::Rule').find(([, r]) => JSON.stringify(r.Properties.Targets).includes(idOf(stack.live.recheck.fn)));
    expect(rule?.[1].Properties.ScheduleExpression).toBe('rate(1 minute)');
  });

  it('tells the ticket function the socket URL and the sending functions the management endpoint', () => {
    const env = (fn: CityFunction) => resources()[idOf(fn.fn)]!.Properties.Environment.Variables as Record<string, unknown>;
    expect(JSON.stringify(env(stack.api.functions.get('createLiveTicket')!).LIVE_SOCKET_URL)).toContain('wss://');
    for (const fn of [stack.live.fanOut, stack.live.recheck, stack.live.socket]) expect(JSON.stringify(env(fn).LIVE_MANAGEMENT_ENDPOINT)).toContain('https://');
  });
});
