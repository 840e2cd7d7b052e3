import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  /**
   * A log group shared with other functions (the API's routes share one: Lambda names each log stream
   * `YYYY/MM/DD/<function name>[<version>]…` in a shared group, so every line still names its function,
   * and the stack saves a resource per route). Absent: the function gets its own group.
   */
  logGroup?: logs.ILogGroup;
  /**
   * Native dependencies shipped beside the bundle instead of bundled (sharp): the modules are left out
   * of the bundle and the `node_modules` of {@link NativeModules.folder} — installed for the Lambda's
   * platform by `npm ci` (the root postinstall) — are copied next to it. Nothing is downloaded at synth
   * time, so `npm run synth` works with no network.
   */
  nativeModules?: NativeModules;
  /** For functions that send SMS: the provider (its SDK is bundled, the others' are not), settings and grants. */
  sms?: SmsSettings | undefined;
  /**
   * An execution role shared with functions granted exactly the same (see `Api`); the `bind…` calls
   * then grant on it, and identical statements are merged. Absent: the function gets its own.
   */
  role?: iam.IRole | undefined;
  /**
   * Files written beside the bundle (name → content), made at synth: what a function would otherwise
   * compute at every cold start from code it bundles anyway (the OpenAPI document).
   */
  files?: Record<string, string> | undefined;
}

export type SmsProvider = 'sns' | 'aliyun' | 'tencent';

/** How the stack sends SMS (`-c smsProvider=…` and friends, infra/app.ts). */
export interface SmsSettings {
  provider: SmsProvider;
  /** The registered signature (签名), without brackets. */
  signature?: string | undefined;
  /** `SMS_TEMPLATES` JSON: registered template ids and wording. */
  templates?: string | undefined;
  /** SNS only: the sender id, where carriers support one. */
  senderId?: string | undefined;
  /** Tencent only: the SMS application's SdkAppId. */
  tencentAppId?: string | undefined;
  /** Tencent region / Aliyun endpoint. */
  providerRegion?: string | undefined;
  /** Aliyun/Tencent: the secret holding the provider's API key. */
  credentials?: secretsmanager.ISecret | undefined;
}

/** The esbuild `define` naming the SMS provider a bundle carries (`shared/wiring/messaging.ts`). */
const SMS_BUNDLE = 'globalThis.CITYGRID_SMS_BUNDLE';
/** The esbuild `define` marking code as bundled (`shared/http/prebuilt-openapi.ts`): what runs from source only is left out. */
const BUNDLED = 'globalThis.CITYGRID_BUNDLED';

export interface NativeModules {
  /** Module names to keep out of the bundle (imported at run time from the copied `node_modules`). */
  modules: string[];
  /** Folder (relative to the repository root) whose `node_modules` holds them for linux-arm64. */
  folder: string;
}

/** sharp for the Lambda's linux-arm64 (glibc), pinned by the folder's own lockfile. */
export const SHARP_LINUX_ARM64: NativeModules = { modules: ['sharp'], folder: 'infra/native/sharp-linux-arm64' };

/**
 * The Lambda runtime of every function (docs/decisions.md says why this major). The tests, the local
 * platform and the bundling target run on the same major: the `node` dev dependency puts that Node
 * first on npm scripts' PATH, and test/infra/runtime-parity.test.ts fails when they drift apart.
 */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;

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
  // The SMS provider whose SDK is bundled: SNS (in the AWS SDK) unless a function is built for another.
  define: { [SMS_BUNDLE]: JSON.stringify('sns'), [BUNDLED]: 'true' },
} as const;

/**
 * Bundling options for what ships beside the bundle: native modules (left out of the bundle; their
 * prepared `node_modules` copied — the synth fails with the fix when the folder was not installed, e.g.
 * after `npm ci --ignore-scripts`) and files made at synth. The copies run on this machine after the
 * local esbuild bundling, into the asset folder; nothing is downloaded.
 */
function besideTheBundle(repoRoot: string, native: NativeModules | undefined, files: Record<string, string> | undefined) {
  const copies: Array<(outputDir: string) => string> = [];
  if (native) {
    const source = join(repoRoot, native.folder, 'node_modules');
    for (const name of native.modules) {
      if (!existsSync(join(source, name, 'package.json'))) {
        throw new Error(`${name} for linux-arm64 is missing in ${source}: run \`npm ci\` (its postinstall installs it) or \`npm run native\``);
      }
    }
    copies.push((outputDir) => `cp -R "${source}" "${outputDir}/node_modules"`);
  }
  if (files && Object.keys(files).length) {
    const dir = mkdtempSync(join(tmpdir(), 'citygrid-files-'));
    for (const [name, content] of Object.entries(files)) {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`A file beside the bundle needs a plain name: ${name}`);
      writeFileSync(join(dir, name), content);
      copies.push((outputDir) => `cp "${join(dir, name)}" "${outputDir}/${name}"`);
    }
  }
  if (!copies.length) return {};
  return {
    ...(native ? { externalModules: native.modules } : {}),
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) => copies.map((copy) => copy(outputDir)),
    },
  };
}

/**
 * Every CityGrid function's defaults in one place: Node.js 22 on arm64, ESM bundle with the AWS SDK
 * bundled and tree-shaken, source maps, JSON logs with retention, X-Ray tracing. `bindTable()` and
 * `bindBucket()` set the environment variable and grant IAM in the same call.
 */
export class CityFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: CityFunctionProps) {
    super(scope, id);
    const logGroup = props.logGroup ?? new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: join(props.repoRoot, props.entry),
      handler: 'handler',
      projectRoot: props.repoRoot,
      depsLockFilePath: join(props.repoRoot, 'package-lock.json'),
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      ...(props.role ? { role: props.role } : {}),
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
        define: { ...BUNDLING.define, [SMS_BUNDLE]: JSON.stringify(props.sms?.provider ?? 'sns') },
        ...besideTheBundle(props.repoRoot, props.nativeModules, props.files),
      },
    });
    if (props.sms) this.bindSms(props.sms);
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

  /** Sets AUDIT_SECRET_ARN and grants reading that one secret. */
  bindAuditSecret(secret: secretsmanager.ISecret): this {
    this.fn.addEnvironment('AUDIT_SECRET_ARN', secret.secretArn);
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
   * Sets the SMS environment and grants what the provider needs. SNS: publishing to phone numbers — and
   * nothing else: SMS publishing has no resource ARN, so the statement allows every resource that is NOT
   * an SNS topic or application ARN (in the stack's partition: `aws`, `aws-cn`). Aliyun / Tencent: no SNS
   * at all, reading the provider's API key secret.
   */
  private bindSms(sms: SmsSettings): void {
    const env: Record<string, string | undefined> = {
      SMS_PROVIDER: sms.provider,
      SMS_SIGNATURE: sms.signature,
      SMS_TEMPLATES: sms.templates,
      SMS_SENDER_ID: sms.provider === 'sns' ? sms.senderId : undefined,
      TENCENT_SMS_APP_ID: sms.provider === 'tencent' ? sms.tencentAppId : undefined,
      SMS_PROVIDER_REGION: sms.provider === 'sns' ? undefined : sms.providerRegion,
    };
    for (const [name, value] of Object.entries(env)) if (value) this.fn.addEnvironment(name, value);
    if (sms.provider === 'sns') {
      this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], notResources: [`arn:${Stack.of(this).partition}:sns:*:*:*`] }));
      return;
    }
    if (!sms.credentials) throw new Error(`SMS provider ${sms.provider} needs its credentials secret`);
    this.fn.addEnvironment('SMS_CREDENTIALS_SECRET_ARN', sms.credentials.secretArn);
    sms.credentials.grantRead(this.fn);
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
