import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AUDIT_HEAD_PARTITION } from '#shared/data/entities/audit';
import { CityFunction } from './city-function.ts';

export interface AuditAnchorProps {
  table: dynamodb.ITableV2;
  repoRoot: string;
  logRetention: logs.RetentionDays;
  /** Where S3 server access logs of the bucket go (the stack's access-log bucket). */
  accessLogs: s3.IBucket;
  /**
   * prod: COMPLIANCE mode, 400 days — nobody (the root user included) can overwrite or delete an anchor
   * before then. Other stages: GOVERNANCE mode, 7 days — a test stack's bucket can be emptied by someone
   * holding s3:BypassGovernanceRetention and then deleted.
   */
  production: boolean;
}

/** How long an anchor is locked, by stage (docs/operations.md, "The anchor"). */
export const ANCHOR_RETENTION = { production: { mode: 'COMPLIANCE', days: 400 }, other: { mode: 'GOVERNANCE', days: 7 } } as const;

/**
 * The audit record's anchor outside the table: an S3 bucket with Object Lock (versioned, encrypted, no
 * public access, TLS only, access-logged) and a function an EventBridge rule runs every hour, which
 * reads the chain's head item and writes `anchors/YYYY/MM/DD/HH.json` `{ seq, hash, at }`. The function
 * may read that one item (GetItem on its partition) and put objects into that one bucket — nothing else.
 */
export class AuditAnchor extends Construct {
  readonly bucket: s3.Bucket;
  readonly fn: CityFunction;

  constructor(scope: Construct, id: string, props: AuditAnchorProps) {
    super(scope, id);
    const retention = props.production ? ANCHOR_RETENTION.production : ANCHOR_RETENTION.other;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: retention.mode === 'COMPLIANCE' ? s3.ObjectLockRetention.compliance(Duration.days(retention.days)) : s3.ObjectLockRetention.governance(Duration.days(retention.days)),
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'audit-anchors/',
      // Locked objects cannot be deleted anyway: the bucket outlives the stack (empty it after the retention).
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.fn = new CityFunction(this, 'Writer', {
      entry: 'functions/ops/anchor-audit.ts',
      repoRoot: props.repoRoot,
      description: 'Hourly: copies the audit record\'s head (seq, hash) into the Object Lock bucket',
      logRetention: props.logRetention,
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: { TABLE_NAME: props.table.tableName, AUDIT_ANCHOR_BUCKET: this.bucket.bucketName },
    });
    // Least privilege: the head item only (its partition), and PutObject under anchors/ only.
    this.fn.fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['dynamodb:GetItem'],
      resources: [props.table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [AUDIT_HEAD_PARTITION] } },
    }));
    this.fn.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('anchors/*')] }));
    Validations.of(this.fn).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/anchors/*]`,
      reason: 'The anchor function writes one new object an hour under anchors/ of the anchor bucket (keys by the hour): PutObject only, that prefix only; Object Lock keeps every version.',
    });

    new events.Rule(this, 'Hourly', {
      description: `CityGrid ${Stack.of(this).stackName}: anchor the audit record's head every hour`,
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(this.fn.fn, { retryAttempts: 2 })],
    });
  }
}
