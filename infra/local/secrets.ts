import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The local platform's secrets; in the cloud they live in Secrets Manager. */
export interface LocalSecrets {
  AUTH_SECRET: string;
  HOTLINE_WEBHOOK_SECRET: string;
  OPEN311_API_KEY: string;
  /** Signs list cursors (opaque, bound to the list and the caller). */
  CURSOR_SECRET: string;
  /** Our signing secret for the outbound hotline callbacks. */
  HOTLINE_CALLBACK_SECRET: string;
  /** Keys the audit record's hash chain (操作日志): whoever can write the table cannot rebuild it without this. */
  AUDIT_SECRET: string;
  /** Where hotline callbacks go (optional: add it to `.data/local.env` to point at a receiver). */
  HOTLINE_CALLBACK_URL?: string;
  /** Browser origins CORS allows, comma separated (optional; default Vite's dev server). */
  CORS_ORIGINS?: string;
}

const generate = (): LocalSecrets => ({
  AUTH_SECRET: randomBytes(48).toString('base64url'),
  HOTLINE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
  OPEN311_API_KEY: randomBytes(16).toString('hex'),
  CURSOR_SECRET: randomBytes(48).toString('base64url'),
  HOTLINE_CALLBACK_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
  AUDIT_SECRET: randomBytes(48).toString('base64url'),
});

const OPTIONAL = ['HOTLINE_CALLBACK_URL', 'CORS_ORIGINS'];

/**
 * Reads `.data/local.env`, creating it with fresh random secrets on first start (mode 0600; `.data/`
 * is git-ignored). Without a data folder (tests, benches) the secrets live in memory only.
 */
export function loadLocalSecrets(dataDir: string | undefined): LocalSecrets {
  if (!dataDir) return generate();
  const file = join(dataDir, 'local.env');
  const fresh = generate();
  const existing: Partial<LocalSecrets> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (match && (match[1]! in fresh || OPTIONAL.includes(match[1]!))) existing[match[1] as keyof LocalSecrets] = match[2]!;
    }
  }
  const secrets = { ...fresh, ...existing };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    file,
    `# CityGrid local platform secrets (generated; never commit; delete to regenerate)\n${Object.entries(secrets).map(([k, v]) => `${k}=${v}`).join('\n')}\n`,
    { mode: 0o600 },
  );
  return secrets;
}
