import { z } from 'zod';

/**
 * The environment every function reads, parsed once with zod. A missing or malformed variable fails the
 * first call with one message naming every problem, instead of an `undefined` deep in data code.
 */
const EnvSchema = z.object({
  STAGE: z.string().min(1).default('local'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  TABLE_NAME: z.string().min(3).max(255),
  PHOTO_BUCKET: z.string().min(3).optional(),
  /** Set only by the local platform: DynamoDB Local's URL. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Set only by the local platform: s3rver's URL. */
  S3_ENDPOINT: z.url().optional(),
  /** `aws` publishes SMS and topic messages through SNS; `outbox` keeps them in the table (local only). */
  MESSAGE_TRANSPORT: z.enum(['aws', 'outbox']).default('aws'),
});

export type Config = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses an environment; throws {@link ConfigError} listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = EnvSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new ConfigError(`Invalid CityGrid configuration — ${problems}`);
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use and kept for the container's life. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
