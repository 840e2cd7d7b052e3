import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeList } from '#shared/contract/index';
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
      // The configured origins and the console's own CloudFront origin.
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['POST', 'GET'], AllowedOrigins: ['https://console.example', { 'Fn::Join': ['', ['https://', Match.anyValue()]] }] })] },
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
    const routeFunctions = Object.values(functions).filter((f) => /^(GET|POST|PUT|PATCH|DELETE|ANY) /.test(String(f.Properties.Description)));
    expect(routeFunctions).toHaveLength(deployed.length);
  });

  it('sends every Open311 method to ONE function through a greedy ANY /open311/v2/{proxy+} route', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => String(r.Properties.RouteKey));
    expect(routes.filter((key) => key.includes('/open311/'))).toEqual(['ANY /open311/v2/{proxy+}']);
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => String(f.Properties.Description).startsWith('ANY /open311/v2/{proxy+}'));
    expect(functions).toHaveLength(1);
    // Its stage reaches discovery (`test` outside prod).
    expect(functions[0]!.Properties.Environment.Variables.STAGE).toBe('test');
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
    const withTable = [...statementsByFunction()].filter(([name, statements]) => name.startsWith('Api') && JSON.stringify(statements).includes('dynamodb:'));
    const needing = deployed.filter((r) => r.needs?.table || Array.isArray(r.access)).length;
    expect(withTable).toHaveLength(needing);
    // Read-only routes get no write action.
    const readOnly = deployed.filter((r) => Array.isArray(r.access) && !r.needs?.table).map((r) => `Api${r.id.charAt(0).toUpperCase()}${r.id.slice(1)}`);
    expect(readOnly.length).toBeGreaterThan(5);
    for (const name of readOnly) expect(JSON.stringify(statementsByFunction().get(name))).not.toContain('dynamodb:PutItem');
  });

  it('gives the route functions one shared log group, and the other functions their own', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    const groupOf = (f: { Properties?: { LoggingConfig?: { LogGroup?: unknown } } }) => JSON.stringify(f.Properties?.LoggingConfig?.LogGroup);
    const routes = functions.filter(([id]) => id.startsWith('Api') && !id.startsWith('ApiPublicKey'));
    expect(routes.length).toBeGreaterThan(50);
    expect(new Set(routes.map(([, f]) => groupOf(f)))).toEqual(new Set([JSON.stringify({ Ref: Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) => id.startsWith('ApiRouteLogs')) })]));
    const others = functions.filter(([id]) => !id.startsWith('Api') && !id.includes('CustomResource') && !id.includes('AWS679f53fac002430cb0da5b7982bd2287') && !id.includes('BucketNotificationsHandler'));
    for (const [id, f] of others) expect(groupOf(f), id).not.toBe(groupOf(routes[0]![1]));
  });

  it('shares an execution role between routes granted exactly the same, and only those', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('Api') && !id.startsWith('ApiPublicKey'));
    const roles = new Set(functions.map(([, f]) => JSON.stringify(f.Properties.Role)));
    expect(roles.size).toBeLessThan(functions.length / 2);
    template.resourceCountIs('AWS::IAM::Role', roles.size + Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => !id.startsWith('ApiRole')).length);
  });

  it('lets API Gateway invoke exactly the route functions through one integration role, with no Lambda permission per function', () => {
    const httpApi = Object.keys(template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } }));
    expect(httpApi).toHaveLength(1);
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration')).filter((i) => i.Properties.ApiId.Ref === httpApi[0]);
    expect(integrations).toHaveLength(deployed.length);
    const integrated = integrations.map((i) => (i.Properties.IntegrationUri as { 'Fn::GetAtt': [string, 'Arn'] })['Fn::GetAtt'][0]).sort();
    expect(new Set(integrated).size).toBe(deployed.length);
    // One role, trusted by API Gateway only, on every integration of the HTTP API.
    const credentials = new Set(integrations.map((i) => JSON.stringify(i.Properties.CredentialsArn)));
    expect(credentials.size).toBe(1);
    const roleId = (integrations[0]!.Properties.CredentialsArn as { 'Fn::GetAtt': [string, 'Arn'] })['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId] as { Type: string; Properties: { AssumeRolePolicyDocument: { Statement: unknown[] }; ManagedPolicyArns: Array<{ Ref: string }>; Policies?: unknown } };
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } }]);
    expect(role.Properties.Policies).toBeUndefined();
    expect(Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))).toEqual([]);
    // Its policies allow invoking exactly the integrated functions, by their unqualified ARNs (no wildcard).
    const managed = template.findResources('AWS::IAM::ManagedPolicy');
    const statements = role.Properties.ManagedPolicyArns.flatMap((arn) => managed[arn.Ref]!.Properties.PolicyDocument.Statement as Array<{ Action: string; Effect: string; Resource: Array<{ 'Fn::GetAtt': [string, 'Arn'] }> }>);
    for (const statement of statements) expect([statement.Action, statement.Effect]).toEqual(['lambda:InvokeFunction', 'Allow']);
    expect(statements.flatMap((s) => s.Resource.map((r) => r['Fn::GetAtt'][0])).sort()).toEqual(integrated);
    // ...and none of them carries a resource-based permission (one per route function cost ~75 resources).
    const permitted = Object.values(template.findResources('AWS::Lambda::Permission')).map((p) => (p.Properties.FunctionName as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0]);
    expect(permitted.filter((id) => id && integrated.includes(id))).toEqual([]);
  });

  it('stays well below CloudFormation\'s 500 resources per stack', () => {
    // 454 with the third wave's live channel and roll calls; 382 once the HTTP API invoked its route
    // functions through one integration role instead of a Lambda permission each (docs/decisions.md);
    // 390 with the audit anchor (8: bucket, its policy, function, role, policy, log group, rule, permission);
    // 392 with the duty routes' live messages (one more shared execution role and its policy: table + topic).
    // The cap is that count plus room for the fourth wave's additions (about five routes at three resources
    // each, or an audit anchor); buy room back before raising it.
    expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(400);
  });

  it('logs access on the default stage and throttles it', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 500 }),
    });
  });
});

/**
 * Every function's IAM statements, through its execution role (routes granted the same share one), by
 * the start of the function's logical id: `Api<RouteId>`, `EventsProcessor`, `HotlineCallbacksDeliverer`…
 */
function statementsByFunction(): Map<string, Array<Record<string, unknown>>> {
  const byRole = new Map<string, Array<Record<string, unknown>>>();
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    for (const role of policy.Properties.Roles as Array<{ Ref: string }>) {
      byRole.set(role.Ref, [...(byRole.get(role.Ref) ?? []), ...(policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>)]);
    }
  }
  const byFunction = new Map<string, Array<Record<string, unknown>>>();
  for (const [logicalId, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
    const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt']?.[0];
    const name = /^(\w+?)Fn[0-9A-F]{8}$/.exec(logicalId)?.[1];
    if (role && name) byFunction.set(name, byRole.get(role) ?? []);
  }
  return byFunction;
}

describe('identity grants', () => {
  /**
   * Functions, in the whole stack, whose policy has a statement matching `needle`, named by the start of
   * the policy's logical id: `Api<RouteId>`, `EventsProcessor`, `HotlineCallbacksDeliverer`…
   */
  const functionsWhosePolicyHas = (needle: (statement: Record<string, unknown>) => boolean) =>
    [...statementsByFunction()]
      .filter(([, statements]) => statements.some(needle))
      .map(([name]) => name)
      .sort();
  const actions = (s: Record<string, unknown>) => [s.Action].flat().map(String);

  it('lets only the send-code function, the roll call (点名) and the event processor publish SMS (only to phone numbers, not topics)', () => {
    expect(functionsWhosePolicyHas((s) => actions(s).includes('sns:Publish') && s.NotResource !== undefined)).toEqual(['ApiCallRoll', 'ApiSendSmsCode', 'EventsProcessor']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Effect: 'Allow', NotResource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] } })]) },
    });
  });

  it('lets the routes with live messages of their own (上班/下班, a roll call\'s answer) publish to the case-events topic only', () => {
    const topicPublish = (s: Record<string, unknown>) => actions(s).includes('sns:Publish') && s.NotResource === undefined && !JSON.stringify(s.Resource ?? '').includes('*');
    const routes = functionsWhosePolicyHas(topicPublish).filter((name) => name.startsWith('Api'));
    expect(routes).toEqual(['ApiAnswerRollCall', 'ApiChangeDuty']);
    for (const name of routes) {
      const statements = statementsByFunction().get(name)!.filter((s) => actions(s).includes('sns:Publish'));
      expect(statements.map((s) => JSON.stringify(s.Resource))).toEqual([expect.stringContaining('CaseEvents')]);
    }
  });

  it('lets only the auth functions and the public-key publisher read the auth secret', () => {
    const readers = functionsWhosePolicyHas((s) => actions(s).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes('AuthSecret'));
    const expected = routeList()
      .filter((r) => r.access !== 'local' && r.needs?.signingKey)
      .map((r) => `Api${r.id.charAt(0).toUpperCase()}${r.id.slice(1)}`);
    expect(readers).toEqual([...expected, 'ApiPublicKeyPublisher'].sort());
    expect(readers).toEqual(['ApiLogin', 'ApiPublicKeyPublisher', 'ApiRefreshSession', 'ApiRegister', 'ApiSendSmsCode']);
  });

  it('gives every authenticated function the public key to verify with, from the deploy-time publisher', () => {
    const withKey = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.AUTH_PUBLIC_JWK);
    expect(withKey).toHaveLength(routeList().filter((r) => r.access !== 'local' && Array.isArray(r.access)).length);
    expect(JSON.stringify(withKey[0]!.Properties.Environment.Variables.AUTH_PUBLIC_JWK)).toContain('publicJwk');
  });

  it('gives the hotline secret to the hotline webhook function only', () => {
    expect(functionsWhosePolicyHas((s) => actions(s).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes('HotlineSecret'))).toEqual(['ApiReceiveHotlineTicket']);
  });

  it('gives the list-cursor secret to the paging list functions only', () => {
    const readers = functionsWhosePolicyHas((s) => actions(s).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes('CursorSecret'));
    expect(readers).toEqual(['ApiListCases', 'ApiListMyCases', 'ApiListMyTasks']);
    const withArn = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.CURSOR_SECRET_ARN);
    expect(withArn).toHaveLength(3);
  });

  it('gives the audit secret to the admin functions that write (and append to the audit record) only, and names it in an output', () => {
    const readers = functionsWhosePolicyHas((s) => actions(s).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes('AuditSecret'));
    expect(readers.sort()).toEqual(['ApiCreateApiKey', 'ApiCreateStaff', 'ApiDeleteApiKey', 'ApiImportGridBatch', 'ApiImportStaffBatch', 'ApiPutCalendarYear', 'ApiPutCategory', 'ApiPutDepartment', 'ApiPutGrid', 'ApiUpdateStaff']);
    const withArn = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.AUDIT_SECRET_ARN);
    expect(withArn).toHaveLength(10);
    template.hasOutput('AuditSecretArn', {});
  });

  it('keeps the auth secret generated by Secrets Manager, never in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) });
  });
});

describe('photo processing', () => {
  const policyOf = (name: string) => JSON.stringify(statementsByFunction().get(name));

  it('invokes the processor for objects created under uploads/ only', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          Match.objectLike({ Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } } }),
        ],
      },
    });
  });

  it('expires originals (with their EXIF) a day after upload', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-uploads', Prefix: 'uploads/', ExpirationInDays: 1, Status: 'Enabled' })]) },
    });
  });

  it('scopes photo grants by prefix: uploaders put into uploads/, viewers read clean/ and thumbs/ only', () => {
    const upload = policyOf('ApiRequestUpload');
    expect(upload).toContain('/uploads/*');
    expect(upload).not.toContain('s3:GetObject');
    const view = policyOf('ApiGetCase');
    expect(view).toContain('/clean/*');
    expect(view).toContain('/thumbs/*');
    expect(view).not.toContain('/uploads/*');
    const processor = policyOf('PhotosProcessor');
    for (const prefix of ['/uploads/*', '/clean/*', '/thumbs/*']) expect(processor).toContain(prefix);
  });
});

describe('the audit anchor (Object Lock)', () => {
  it('keeps anchors in a versioned, encrypted, private, TLS-only bucket with Object Lock and a default retention', () => {
    const locked = Object.entries(template.findResources('AWS::S3::Bucket')).filter(([, b]) => b.Properties.ObjectLockEnabled === true);
    expect(locked).toHaveLength(1);
    const [id, bucket] = locked[0]!;
    expect(bucket.Properties).toMatchObject({
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { LogFilePrefix: 'audit-anchors/' },
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p.Properties.Bucket).includes(id))!;
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it('runs the anchor function every hour', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((r) => r.Properties.ScheduleExpression === 'rate(1 hour)');
    expect(rules).toHaveLength(1);
    expect(JSON.stringify(rules[0]!.Properties.Targets)).toContain('AuditAnchorWriterFn');
  });

  it('lets the anchor function read the head item only and put objects into that bucket only', () => {
    const statements = statementsByFunction().get('AuditAnchorWriter')!;
    const data = statements.filter((s) => [s.Action].flat().some((a) => /^(dynamodb|s3):/.test(String(a))));
    expect(data).toHaveLength(2);
    const read = data.find((s) => [s.Action].flat().some((a) => String(a).startsWith('dynamodb:')))!;
    expect(read.Action).toBe('dynamodb:GetItem');
    expect(read.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['$citygrid#chain_admin'] } });
    const put = data.find((s) => [s.Action].flat().some((a) => String(a).startsWith('s3:')))!;
    expect(put.Action).toBe('s3:PutObject');
    expect(JSON.stringify(put.Resource)).toMatch(/AuditAnchorBucket\w+.*\/anchors\/\*/);
    // The table's other grants (read/write data) are not on it.
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb:(Query|Scan|PutItem|UpdateItem|BatchGetItem)/);
  });
});
