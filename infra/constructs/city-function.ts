import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';

export interface CityFunctionProps {
  /** Entry module relative to the repository root (the route table's `handler`). */
  entry: string;
  repoRoot: string;
  description?: string;
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  logRetention: logs.RetentionDays;
  /** Dependencies installed into the bundle instead of bundled (native code such as sharp). */
  nodeModules?: string[];
}

/**
 * How every function is bundled (esbuild through NodejsFunction). The size budget test and the
 * cold-start bench bundle with exactly these options, so their figures are the deployed ones.
 * Source maps are kept (stack traces name our files) but without the sources' text, which was 3/4 of
 * each map and is not needed to map a line.
 */
export const BUNDLING = {
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // ESM bundles of CommonJS dependencies still call require().
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * Every CityGrid function's defaults in one place: Node.js 22 on arm64, ESM bundle with the AWS SDK
 * bundled and tree-shaken, source maps, JSON logs with retention, X-Ray tracing. `bindTable()` and
 * `bindBucket()` set the environment variable and grant IAM in the same call.
 */
export class CityFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: CityFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: join(props.repoRoot, props.entry),
      handler: 'handler',
      projectRoot: props.repoRoot,
      depsLockFilePath: join(props.repoRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      ...(props.description ? { description: props.description } : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'citygrid',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourcemap,
        sourcesContent: BUNDLING.sourcesContent,
        mainFields: [...BUNDLING.mainFields],
        // The SDK is bundled (pinned, tree-shaken) instead of taken from the runtime.
        externalModules: [],
        banner: BUNDLING.banner,
        ...(props.nodeModules
          ? {
              nodeModules: props.nodeModules,
              // Native modules are installed for the Lambda's platform, not this machine's.
              environment: { npm_config_os: 'linux', npm_config_cpu: 'arm64', npm_config_libc: 'glibc' },
            }
          : {}),
      },
    });
  }

  /** Sets TABLE_NAME and grants read or read/write on the table and its indexes. */
  bindTable(table: dynamodb.ITableV2, access: 'read' | 'readWrite'): this {
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    if (access === 'read') table.grantReadData(this.fn);
    else table.grantReadWriteData(this.fn);
    return this;
  }

  /** Sets AUTH_SECRET_ARN and grants reading that one secret. */
  bindAuthSecret(secret: secretsmanager.ISecret): this {
    this.fn.addEnvironment('AUTH_SECRET_ARN', secret.secretArn);
    secret.grantRead(this.fn);
    return this;
  }

  /** Sets CURSOR_SECRET_ARN and grants reading that one secret. */
  bindCursorSecret(secret: secretsmanager.ISecret): this {
    this.fn.addEnvironment('CURSOR_SECRET_ARN', secret.secretArn);
    secret.grantRead(this.fn);
    return this;
  }

  /** Sets HOTLINE_SECRET_ARN and grants reading that one secret. */
  bindHotlineSecret(secret: secretsmanager.ISecret): this {
    this.fn.addEnvironment('HOTLINE_SECRET_ARN', secret.secretArn);
    secret.grantRead(this.fn);
    return this;
  }

  /**
   * Lets the function publish SMS to phone numbers — and nothing else: SMS publishing has no resource
   * ARN, so the statement allows every resource that is NOT an SNS topic or application ARN.
   */
  allowSms(senderId: string | undefined): this {
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], notResources: ['arn:aws:sns:*:*:*'] }));
    if (senderId) this.fn.addEnvironment('SMS_SENDER_ID', senderId);
    return this;
  }

  /**
   * Sets PHOTO_BUCKET and grants by key prefix: `upload` may put into `uploads/` (what a presigned POST
   * it signs needs); `view` may read `clean/` and `thumbs/` (signed GETs); `process` reads and deletes
   * `uploads/` and writes `clean/` and `thumbs/`. Nobody may read the originals, which carry EXIF.
   */
  bindBucket(bucket: s3.IBucket, access: 'upload' | 'view' | 'process'): this {
    this.fn.addEnvironment('PHOTO_BUCKET', bucket.bucketName);
    if (access === 'upload') bucket.grantPut(this.fn, 'uploads/*');
    if (access === 'view') {
      bucket.grantRead(this.fn, 'clean/*');
      bucket.grantRead(this.fn, 'thumbs/*');
    }
    if (access === 'process') {
      bucket.grantRead(this.fn, 'uploads/*');
      bucket.grantDelete(this.fn, 'uploads/*');
      bucket.grantPut(this.fn, 'clean/*');
      bucket.grantPut(this.fn, 'thumbs/*');
    }
    return this;
  }
}
