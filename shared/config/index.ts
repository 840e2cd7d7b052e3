import * as z from '#shared/validation/zod';
import { SMS_TEMPLATES, SmsTemplateSettingsSchema, type SmsTemplateId } from '#shared/domain/messaging/sms-templates';

/**
 * The environment every function reads: each variable's zod schema, built when needed. A deployment's
 * settings are validated whole at synth ({@link parseConfig}, infra/app.ts: one message naming every
 * problem); a running function validates each variable the first time it reads it ({@link getConfig}),
 * so its cold start builds the schemas of the few variables it uses, not of all sixty.
 */
const VARIABLES = {
  STAGE: () => z._default(z.string().check(z.minLength(1)), 'local'),
  AWS_REGION: () => z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  TABLE_NAME: () => z.string().check(z.minLength(3), z.maxLength(255)),
  PHOTO_BUCKET: () => z.optional(z.string().check(z.minLength(3))),
  /** Set only by the local platform: DynamoDB Local's URL. */
  DYNAMODB_ENDPOINT: () => z.optional(z.url()),
  /** Set only by the local platform: s3rver's URL. */
  S3_ENDPOINT: () => z.optional(z.url()),
  /** `aws` publishes SMS and topic messages through SNS; `outbox` keeps them in the table (local only). */
  MESSAGE_TRANSPORT: () => z._default(z.enum(['aws', 'outbox']), 'aws'),
  /**
   * `exclusive` (set only by the local platform, the one event processor of its table): a lease on an
   * effect held by another process was left by one that ended, and is taken over at once. `shared`
   * (the cloud: containers run side by side): only an expired lease is taken over.
   */
  EFFECT_LEASES: () => z._default(z.enum(['shared', 'exclusive']), 'shared'),
  /** The auth secret itself (local platform only: generated into `.data/local.env`). */
  AUTH_SECRET: () => z.optional(z.string().check(z.minLength(32))),
  /** Secrets Manager ARN of the auth secret (cloud). One of AUTH_SECRET / AUTH_SECRET_ARN is needed by auth. */
  AUTH_SECRET_ARN: () => z.optional(z.string().check(z.startsWith('arn:'))),
  /** The public JWK that verifies access tokens (cloud: set at deploy time; locally derived from AUTH_SECRET). */
  AUTH_PUBLIC_JWK: () => z.optional(z.string().check(z.startsWith('{'))),
  /** Who delivers SMS in the cloud: SNS where it offers SMS, Aliyun or Tencent Cloud in mainland China (AWS China regions have no SNS SMS). */
  SMS_PROVIDER: () => z._default(z.enum(['sns', 'aliyun', 'tencent']), 'sns'),
  /** The registered SMS signature (签名), without brackets: texts start with 【signature】. */
  SMS_SIGNATURE: () => z._default(z.string().check(z.trim(), z.minLength(2), z.maxLength(20), z.regex(/^[^【】[\]]+$/, 'without brackets')), 'CityGrid'),
  /**
   * The city's registered templates as JSON: template id → `{ providerTemplateId?, text? }` (Aliyun/Tencent need
   * every provider id; a text must use exactly its template's parameters). Checked here, at start-up.
   */
  SMS_TEMPLATES: () => z._default(z.pipe(z.string(), z.transform((text, ctx) => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        z.addIssue(ctx, { code: 'custom', message: 'JSON object of template id → { providerTemplateId?, text? }' });
        return z.NEVER;
      }
      const result = SmsTemplateSettingsSchema.safeParse(json);
      if (result.success) return result.data;
      for (const issue of result.error.issues) z.addIssue(ctx, { code: 'custom', message: `${issue.path.join('.')}: ${issue.message}` });
      return z.NEVER;
    })), {}),
  /** Aliyun/Tencent: Secrets Manager ARN of the provider's API key (`{ accessKeyId, accessKeySecret }` or `{ secretId, secretKey }`). */
  SMS_CREDENTIALS_SECRET_ARN: () => z.optional(z.string().check(z.startsWith('arn:'))),
  /** Tencent Cloud: the SMS application's SdkAppId. */
  TENCENT_SMS_APP_ID: () => z.optional(z.string().check(z.regex(/^\d{6,12}$/))),
  /** Tencent Cloud: API region (default ap-guangzhou); Aliyun: the SMS endpoint (default dysmsapi.aliyuncs.com). */
  SMS_PROVIDER_REGION: () => z.optional(z.string().check(z.minLength(3))),
  /** SMS sender id shown on phones where carriers support it. */
  SMS_SENDER_ID: () => z.optional(z.string().check(z.regex(/^[A-Za-z0-9]{1,11}$/))),
  /** Comma-separated E.164 prefixes that may receive verification codes (SMS fraud guard). */
  SMS_ALLOWED_PREFIXES: () => z._default(z.string().check(z.regex(/^\+\d{1,4}(,\+\d{1,4})*$/)), '+86'),
  /** SMS sends allowed per client IP per hour (carrier NAT puts many phones behind one IP: tune it). */
  SMS_IP_HOURLY_LIMIT: () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100_000)), 30),
  /** Local: the hotline's webhook secret (`whsec_…`) and the previous one during rotation. */
  HOTLINE_WEBHOOK_SECRET: () => z.optional(z.string().check(z.startsWith('whsec_'))),
  HOTLINE_WEBHOOK_SECRET_PREVIOUS: () => z.optional(z.string().check(z.startsWith('whsec_'))),
  /** Cloud: Secrets Manager ARN of `{ "current": "whsec_…", "previous"?: "whsec_…" }`. */
  HOTLINE_SECRET_ARN: () => z.optional(z.string().check(z.startsWith('arn:'))),
  /**
   * Department score weights as JSON, e.g. {"onTime":0.5,"closure":0.3,"noRework":0.1,"satisfaction":0.1,
   * "noExtension":0.1,"noSupervision":0.1}; the last two are optional (absent = 0).
   */
  SCORE_WEIGHTS: () => z.optional(z.pipe(z.string(), z.transform((text, ctx) => {
      try {
        return z.strict(z.object({
            onTime: z.number().check(z.gte(0)),
            closure: z.number().check(z.gte(0)),
            noRework: z.number().check(z.gte(0)),
            satisfaction: z.number().check(z.gte(0)),
            noExtension: z.optional(z.number().check(z.gte(0))),
            noSupervision: z.optional(z.number().check(z.gte(0))),
          }))
          .parse(JSON.parse(text));
      } catch {
        z.addIssue(ctx, { code: 'custom', message: 'JSON with onTime, closure, noRework and satisfaction weights (≥ 0), optionally noExtension and noSupervision' });
        return z.NEVER;
      }
    }))),
  /** The `case-events` SNS topic (event processor; cloud). Locally topic messages go to the outbox. */
  CASE_EVENTS_TOPIC_ARN: () => z.optional(z.string().check(z.startsWith('arn:'))),
  /** The escalation state machine (event processor starts one execution per dispatch or rework). */
  ESCALATION_STATE_MACHINE_ARN: () => z.optional(z.string().check(z.startsWith('arn:'))),
  /** Set only by the local platform: its Step Functions endpoint (runs the deployed definition locally). */
  STEPFUNCTIONS_ENDPOINT: () => z.optional(z.url()),
  /** Escalation timing as JSON, e.g. {"warnAtFraction":0.8,"intervalWorkingHours":4,"maxLevel":3}. */
  ESCALATION_POLICY: () => z.optional(z.pipe(z.string(), z.transform((text, ctx) => {
      try {
        return z.strict(z.object({ warnAtFraction: z.number().check(z.gt(0), z.lt(1)), intervalWorkingHours: z.number().check(z.gt(0), z.lte(240)), maxLevel: z.number().check(z.int(), z.gte(1), z.lte(10)) }))
          .parse(JSON.parse(text));
      } catch {
        z.addIssue(ctx, { code: 'custom', message: 'JSON with warnAtFraction (0–1), intervalWorkingHours (> 0) and maxLevel (1–10)' });
        return z.NEVER;
      }
    }))),
  /** The 12345 hotline's callback URL for status changes of hotline cases (https in the cloud). */
  HOTLINE_CALLBACK_URL: () => z.optional(z.url()),
  /** Local: our own signing secret for callbacks (`whsec_…`); cloud: HOTLINE_CALLBACK_SECRET_ARN. */
  HOTLINE_CALLBACK_SECRET: () => z.optional(z.string().check(z.startsWith('whsec_'))),
  HOTLINE_CALLBACK_SECRET_ARN: () => z.optional(z.string().check(z.startsWith('arn:'))),
  /** The live channel's WebSocket URL that tickets point to (cloud: the WebSocket stage; locally the gateway's `ws://…/live`). */
  LIVE_SOCKET_URL: () => z.optional(z.string().check(z.regex(/^wss?:\/\/\S+$/))),
  /** Cloud: the WebSocket API's management endpoint (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`), for sending to sockets. */
  LIVE_MANAGEMENT_ENDPOINT: () => z.optional(z.url()),
  /** Cloud: the callback queue's URL (the delivery function delays retries through it). */
  HOTLINE_CALLBACK_QUEUE_URL: () => z.optional(z.url()),
  /** Working hours for field checks as JSON, e.g. {"verify-report":1,"check-result":2} (核实, 核查). */
  FIELD_CHECK_HOURS: () => z.optional(z.pipe(z.string(), z.transform((text, ctx) => {
      try {
        return z.strict(z.object({ 'verify-report': z.number().check(z.gt(0), z.lte(72)), 'check-result': z.number().check(z.gt(0), z.lte(72)) })).parse(JSON.parse(text));
      } catch {
        z.addIssue(ctx, { code: 'custom', message: 'JSON with verify-report and check-result working hours (> 0, ≤ 72)' });
        return z.NEVER;
      }
    }))),
  /** 照片核查: a photo taken farther than this from its case (metres) is flagged `far-from-case`. */
  PHOTO_FAR_METRES: () => z._default(z.coerce.number().check(z.int(), z.gte(10), z.lte(100_000)), 200),
  /** Position evaluation's limits in working hours as JSON, e.g. {"filingHours":1,"dispatchHours":1} (按时立案, 按时派遣). */
  POSITION_LIMITS: () => z.optional(z.pipe(z.string(), z.transform((text, ctx) => {
      try {
        return z.strict(z.object({ filingHours: z.number().check(z.gt(0), z.lte(72)), dispatchHours: z.number().check(z.gt(0), z.lte(72)) })).parse(JSON.parse(text));
      } catch {
        z.addIssue(ctx, { code: 'custom', message: 'JSON with filingHours and dispatchHours (working hours, > 0, ≤ 72)' });
        return z.NEVER;
      }
    }))),
  /** How long a container trusts its cached reference data before re-checking the version item. */
  REFERENCE_CACHE_SECONDS: () => z._default(z.coerce.number().check(z.gte(0), z.lte(300)), 10),
  /** How long a container trusts a user record it read for auth (a disabled account stops within this). */
  AUTH_USER_CACHE_SECONDS: () => z._default(z.coerce.number().check(z.gte(0), z.lte(60)), 10),
  /** How long a container trusts a session (refresh-token family) it read for auth: logout and revocation end access tokens within this. */
  SESSION_CHECK_SECONDS: () => z._default(z.coerce.number().check(z.gte(0), z.lte(60)), 60),
  /** Open311: reads without an api_key (`on`, the standard's default) or only with one (`off`). */
  OPEN311_PUBLIC_READS: () => z.pipe(z._default(z.enum(['on', 'off']), 'on'), z.transform((v) => v === 'on')),
  /** Open311: `media_url` of filed cases' cleaned before photos (`on`); off by default (privacy). */
  OPEN311_PUBLIC_PHOTOS: () => z.pipe(z._default(z.enum(['on', 'off']), 'off'), z.transform((v) => v === 'on')),
  /** Open311: requests per API key per minute (then 429 with Retry-After). */
  OPEN311_KEY_RATE_PER_MINUTE: () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100_000)), 60),
  /** Open311: reads without an api_key per source address per minute (then 429 with Retry-After). */
  OPEN311_ADDRESS_RATE_PER_MINUTE: () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100_000)), 120),
  /** Open311 discovery: how to reach the people behind the API, and how to get a key. */
  OPEN311_CONTACT: () => z._default(z.string().check(z.minLength(1), z.maxLength(500)), '市数字城管监督指挥中心 — 12345'),
  OPEN311_KEY_SERVICE: () => z._default(z.string().check(z.minLength(1), z.maxLength(500)), 'API keys are issued by the city\'s administrators (POST /v1/admin/api-keys)'),
  /** Open311 discovery: the endpoint's public base URL (default: from the request's host). */
  OPEN311_BASE_URL: () => z.optional(z.url()),
  /** The audit chain's secret itself (local platform only: generated into `.data/local.env`). */
  AUDIT_SECRET: () => z.optional(z.string().check(z.minLength(32))),
  /** Secrets Manager ARN of the audit chain's secret (cloud; the admin functions and the anchoring function only). */
  AUDIT_SECRET_ARN: () => z.optional(z.string().check(z.startsWith('arn:'))),
  /** The Object Lock bucket the latest audit hash is anchored in (cloud; the anchoring function only). */
  AUDIT_ANCHOR_BUCKET: () => z.optional(z.string().check(z.minLength(3))),
  /** The list-cursor secret itself (local platform only: generated into `.data/local.env`). */
  CURSOR_SECRET: () => z.optional(z.string().check(z.minLength(32))),
  /** Secrets Manager ARN of the list-cursor secret (cloud; the list functions only). */
  CURSOR_SECRET_ARN: () => z.optional(z.string().check(z.startsWith('arn:'))),
  /** Per-citizen quotas (staff exempt): reports and upload grants per hour and per (Asia/Shanghai) day. */
  REPORT_QUOTA_HOURLY: () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100_000)), 10),
  REPORT_QUOTA_DAILY: () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100_000)), 30),
  UPLOAD_QUOTA_HOURLY: () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100_000)), 40),
  UPLOAD_QUOTA_DAILY: () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100_000)), 120),
  /** Days a track point or duty span (考勤 · 轨迹) is kept, through the table's time to live (docs/field-duty.md). */
  TRACK_RETENTION_DAYS: () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(3650)), 90),
  /** Minutes a supervisor or handler has to answer a roll call (点名; docs/field-duty.md). */
  ROLL_CALL_MINUTES: () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(120)), 10),
  /** Access token lifetime. */
  ACCESS_TOKEN_TTL_SECONDS: () => z._default(z.coerce.number().check(z.int(), z.gte(60), z.lte(7 * 24 * 3600)), 12 * 3600),
};

type Variables = typeof VARIABLES;
type EnvShape = { [K in keyof Variables]: ReturnType<Variables[K]> };
export type Config = z.output<z.ZodMiniObject<EnvShape>>;

let envSchema: z.ZodMiniObject<EnvShape> | undefined;
/** Every variable in one object schema (synth, the CLI, tests). */
const EnvSchema = () => (envSchema ??= z.object(Object.fromEntries(Object.entries(VARIABLES).map(([name, schema]) => [name, schema()])) as EnvShape));

/**
 * What a function that SENDS SMS needs beyond the schema, checked when its sender is built (container
 * start) and by the CDK app at synth: a mainland provider needs its credentials secret, every template's
 * registered id and (Tencent) the application id.
 */
export function smsProviderProblems(config: Pick<Config, 'SMS_PROVIDER' | 'SMS_TEMPLATES' | 'TENCENT_SMS_APP_ID'> & { SMS_CREDENTIALS_SECRET_ARN?: string | undefined }, options: { needsSecret: boolean }): string[] {
  if (config.SMS_PROVIDER === 'sns') return [];
  const problems: string[] = [];
  const missing = (Object.keys(SMS_TEMPLATES) as SmsTemplateId[]).filter((id) => !config.SMS_TEMPLATES[id]?.providerTemplateId);
  if (missing.length > 0) problems.push(`SMS_TEMPLATES: ${config.SMS_PROVIDER} needs the registered template id (providerTemplateId) of ${missing.join(', ')}`);
  if (options.needsSecret && !config.SMS_CREDENTIALS_SECRET_ARN) problems.push(`SMS_CREDENTIALS_SECRET_ARN: ${config.SMS_PROVIDER} needs its API key from Secrets Manager`);
  if (config.SMS_PROVIDER === 'tencent' && !config.TENCENT_SMS_APP_ID) problems.push('TENCENT_SMS_APP_ID: Tencent Cloud needs the SMS application id');
  return problems;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses an environment; throws {@link ConfigError} listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = EnvSchema().safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new ConfigError(`Invalid CityGrid configuration — ${problems}`);
}

const HttpEnvSchema = z.object({
  /** Origins allowed by CORS (comma separated, `*` for any). */
  CORS_ORIGINS: z.pipe(z._default(z.string(), '*'), z.transform((text) => text.split(',').map((o) => o.trim()).filter(Boolean))),
  /** Set only by the local platform: routes with `local` access answer, the OpenAPI document lists them. */
  CITYGRID_LOCAL: z.pipe(z._default(z.enum(['0', '1']), '0'), z.transform((flag) => flag === '1')),
});

export type HttpConfig = z.infer<typeof HttpEnvSchema>;

let httpCached: HttpConfig | undefined;

/**
 * What the HTTP stack itself reads (every HTTP function, also those without a table): parsed on first
 * use, kept for the container's life.
 */
export function getHttpConfig(): HttpConfig {
  if (!httpCached) {
    const result = HttpEnvSchema.safeParse(process.env);
    if (!result.success) throw new ConfigError(`Invalid CityGrid configuration — ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    httpCached = result.data;
  }
  return httpCached;
}

let cached: Config | undefined;

/**
 * The process's configuration, kept for the container's life: each variable is validated by its own
 * schema the first time it is read (a bad one throws {@link ConfigError} naming it, at that read), so a
 * function builds and checks only the variables it uses. The values are those of {@link parseConfig}.
 */
export function getConfig(): Config {
  cached ??= readConfig(process.env);
  return cached;
}

/** The configuration of an environment, each variable validated when first read (what {@link getConfig} keeps). */
export function readConfig(env: Record<string, string | undefined>): Config {
  const values = new Map<string, unknown>();
  const read = (name: keyof Variables) => {
    if (!values.has(name)) {
      const result = VARIABLES[name]().safeParse(env[name]);
      if (!result.success) throw new ConfigError(`Invalid CityGrid configuration — ${result.error.issues.map((i) => `${[name, ...i.path].join('.')}: ${i.message}`).join('; ')}`);
      values.set(name, result.data);
    }
    return values.get(name);
  };
  const known = (key: string | symbol): key is keyof Variables => typeof key === 'string' && Object.hasOwn(VARIABLES, key);
  return new Proxy({} as Config, {
    get: (_target, key) => (known(key) ? read(key) : undefined),
    has: (_target, key) => known(key),
    ownKeys: () => Object.keys(VARIABLES),
    getOwnPropertyDescriptor: (_target, key) => (known(key) ? { value: read(key), enumerable: true, configurable: true, writable: false } : undefined),
  });
}
