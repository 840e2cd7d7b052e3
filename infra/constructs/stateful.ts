import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { TABLE, type IndexName } from '#shared/data/table';

export interface StatefulProps {
  /** Keep data when the stack is deleted (production). */
  retain: boolean;
  /** Origins allowed to POST photos straight to the bucket from a browser. */
  uploadOrigins: string[];
  /**
   * Create only the first N GSIs of the table definition (`-c tableIndexes=N`): CloudFormation adds one
   * GSI per stack update, so an existing table is brought up to date one deploy at a time (docs/deploy.md).
   */
  indexLimit?: number | undefined;
}

/**
 * Everything that holds data: the single table (from THE definition), the photo bucket and the
 * `case-events` topic. Passed to the stateless constructs, which only get grants on it.
 */
export class Stateful extends Construct {
  readonly table: dynamodb.TableV2;
  readonly photos: s3.Bucket;
  /** S3 server access logs (the photo bucket's, the audit anchors' bucket's), each under its prefix, kept 90 days. */
  readonly accessLogs: s3.Bucket;
  readonly caseEvents: sns.Topic;
  /** The auth secret: access-token signing key and SMS-code hash key are derived from it. */
  readonly authSecret: secretsmanager.Secret;
  /** Signs list cursors (`nextCursor`): a client cannot forge a position or reuse another list's. */
  readonly cursorSecret: secretsmanager.Secret;
  /** Keys the audit record's hash chain (admin writes, the CLI's `audit verify`). */
  readonly auditSecret: secretsmanager.Secret;
  /** The 12345 hotline's webhook secrets: `{ current, previous? }` (base64 keys; share as `whsec_` + current). */
  readonly hotlineSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StatefulProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const attr = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: attr(TABLE.partitionKey),
      sortKey: attr(TABLE.sortKey),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      dynamoStream: dynamodb.StreamViewType[TABLE.stream],
      deletionProtection: props.retain,
      removalPolicy,
      globalSecondaryIndexes: (Object.keys(TABLE.indexes) as IndexName[]).slice(0, props.indexLimit).map((indexName) => ({
        indexName,
        partitionKey: attr(TABLE.indexes[indexName].partitionKey),
        sortKey: attr(TABLE.indexes[indexName].sortKey),
      })),
    });

    // Who read or wrote which photo (or anchor): S3 server access logs, kept 90 days in a bucket of their own.
    const accessLogs = (this.accessLogs = new s3.Bucket(this, 'PhotoAccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy,
      autoDeleteObjects: !props.retain,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    }));
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop.',
    });

    this.photos = new s3.Bucket(this, 'Photos', {
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'photos/',
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects: !props.retain,
      cors: [
        {
          allowedMethods: [s3.HttpMethods.POST, s3.HttpMethods.GET],
          allowedOrigins: props.uploadOrigins,
          allowedHeaders: ['*'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Originals (with their EXIF/GPS) are only needed until the processor made the cleaned copy;
        // uploads never attached to a case go with them.
        { id: 'expire-uploads', prefix: 'uploads/', expiration: Duration.days(1) },
      ],
    });

    this.authSecret = new secretsmanager.Secret(this, 'AuthSecret', {
      description: 'CityGrid auth secret (access tokens and SMS code hashes are keyed from it)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.authSecret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'Rotating this secret logs every user out and voids pending SMS codes; it is rotated by an operator runbook (docs/operations.md), not on a schedule.',
    });

    this.cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: 'CityGrid list-cursor secret (nextCursor values are signed with a key derived from it)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'Rotating it only invalidates cursors in flight (clients start their list again); rotated by hand when needed (docs/operations.md).',
    });

    this.auditSecret = new secretsmanager.Secret(this, 'AuditSecret', {
      description: 'CityGrid audit secret (the audit record\'s hash chain is keyed from it: write access to the table alone cannot rebuild the chain)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.auditSecret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'The audit chain is verified with this key from its first entry on: rotating it would need the chain re-anchored under a new key (docs/operations.md); never rotated on a schedule.',
    });

    this.hotlineSecret = new secretsmanager.Secret(this, 'HotlineSecret', {
      description: 'CityGrid 12345 hotline webhook secrets ({ current, previous })',
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'current', passwordLength: 48, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.hotlineSecret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'Rotated together with the hotline operator (current → previous, new current), per docs/hotline-integration.md.',
    });

    this.caseEvents = new sns.Topic(this, 'CaseEvents', {
      displayName: 'CityGrid case status changes',
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
  }
}
