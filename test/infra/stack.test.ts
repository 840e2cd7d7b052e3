import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeList } from '#infra/routes';
import { TABLE } from '#shared/data/table';
import { synthTemplate } from '../support/stack.ts';

let template: ReturnType<typeof synthTemplate>['template'];
beforeAll(() => {
  template = synthTemplate().template;
});

describe('the stateful construct', () => {
  it('builds the single table from THE definition: keys, GSIs, TTL, stream, PITR', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      GlobalSecondaryIndexes: Object.entries(TABLE.indexes).map(([name, keys]) =>
        Match.objectLike({
          IndexName: name,
          KeySchema: [
            { AttributeName: keys.partitionKey, KeyType: 'HASH' },
            { AttributeName: keys.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ),
    });
  });

  it('keeps the photo bucket private, encrypted, SSL-only and open to browser POSTs from the console', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['POST', 'GET'], AllowedOrigins: ['https://console.example'] })] },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'photos/' }),
    });
    const policies = template.findResources('AWS::S3::BucketPolicy');
    const denyInsecure = Object.values(policies).filter((p) =>
      JSON.stringify(p).includes('"aws:SecureTransport":"false"'),
    );
    expect(denyInsecure.length).toBe(Object.keys(template.findResources('AWS::S3::Bucket')).length);
  });

  it('creates the case-events topic, encrypted', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('retains data in production only', () => {
    const prod = synthTemplate('prod').template;
    prod.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
  });
});

describe('the API construct', () => {
  const deployed = routeList().filter((r) => r.access !== 'local');

  it('creates one function per deployed route, on Node.js 22 arm64 with tracing', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } },
    });
    const routeFunctions = Object.values(functions).filter((f) => /^(GET|POST|PUT|PATCH|DELETE) /.test(String(f.Properties.Description)));
    expect(routeFunctions).toHaveLength(deployed.length);
  });

  it('routes every deployed path and sends unknown ones to the $default function', () => {
    for (const route of deployed) {
      if (route.path === '$default') continue;
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `${route.method} ${route.path}` });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
  });

  it('never deploys local-only routes', () => {
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    for (const route of routeList().filter((r) => r.access === 'local')) expect(keys).not.toContain(`${route.method} ${route.path}`);
  });

  it('grants the table only to functions whose route needs it', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const dynamoPolicies = policies.filter(([, p]) => JSON.stringify(p).includes('dynamodb:'));
    const needing = deployed.filter((r) => r.needs?.table).length;
    expect(dynamoPolicies).toHaveLength(needing);
  });

  it('logs access on the default stage and throttles it', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 500 }),
    });
  });
});
