import { Validations, type Stack } from 'aws-cdk-lib';

/**
 * cdk-nag (AwsSolutions) findings we accept, each with its reason. Acknowledged by exact finding id so
 * that a NEW wildcard or managed policy still fails the synth.
 */
export function acknowledgeNagFindings(stack: Stack, tableLogicalId: string, bucketLogicalId: string): void {
  const acknowledge = (id: string, reason: string) => Validations.of(stack).acknowledge({ id, reason });
  acknowledge(
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AWSLambdaBasicExecutionRole only lets a function write its own logs; it is the documented minimum.',
  );
  acknowledge(
    'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    'X-Ray (active tracing of the functions and the state machine) and the CloudWatch Logs log-delivery actions (state machine logging) do not support resource-level permissions.',
  );
  acknowledge(
    `AwsSolutions::AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
    'Table grants cover the single table\'s own GSIs (index/*): the access patterns query them; no other table is reachable.',
  );
  // Photo grants are scoped by key prefix; CDK's grant helpers express object actions with wildcards.
  for (const finding of [
    'Action::s3:Abort*',
    'Action::s3:DeleteObject*',
    'Action::s3:GetBucket*',
    'Action::s3:GetObject*',
    'Action::s3:List*',
    `Resource::<${bucketLogicalId}.Arn>/clean/*`,
    `Resource::<${bucketLogicalId}.Arn>/thumbs/*`,
    `Resource::<${bucketLogicalId}.Arn>/uploads/*`,
  ]) {
    acknowledge(`AwsSolutions::AwsSolutions-IAM5[${finding}]`, 'Photo bucket grants are limited to one key prefix each (uploads/, clean/, thumbs/) of the one photo bucket.');
  }
  acknowledge(
    'AwsSolutions::AwsSolutions-L1',
    'nodejs22.x is pinned on purpose: it is the runtime the code is built (esbuild target node22) and tested for; moving up is a deliberate change.',
  );
  acknowledge(
    'AwsSolutions::AwsSolutions-APIG4',
    'Tokens are verified in every function by the shared middy stack against the route table roles (one place, tested); public and webhook-signed routes are so by contract.',
  );
}
