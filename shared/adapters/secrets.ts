import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createECDH, hkdfSync } from 'node:crypto';
import type { JWK } from 'jose';

export interface AuthKeys {
  /** ES256 private key (JWK) that signs access tokens — only the auth functions hold it. */
  signingJwk: JWK;
  /** Its public half: what every other function verifies with. */
  publicJwk: JWK;
  /** Key of the SMS code hashes. */
  codePepper: string;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * Derives independent keys from the one auth secret (HKDF-SHA256): a P-256 key pair for tokens and an
 * HMAC key for code hashes. Deterministic, so every auth container signs with the same key and the
 * public key can be published at deploy time without storing a second secret.
 */
export function deriveAuthKeys(secret: string): AuthKeys {
  const derive = (info: string) => new Uint8Array(hkdfSync('sha256', secret, 'citygrid', info, 32));
  for (let attempt = 0; ; attempt++) {
    const d = derive(`access-token-es256-${attempt}`);
    const ecdh = createECDH('prime256v1');
    try {
      ecdh.setPrivateKey(d); // rejects 0 and scalars ≥ the curve order (probability ~2⁻³²): derive again
    } catch {
      continue;
    }
    const point = ecdh.getPublicKey(); // 0x04 ‖ x ‖ y
    const publicJwk: JWK = { kty: 'EC', crv: 'P-256', x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) };
    return { signingJwk: { ...publicJwk, d: b64url(d) }, publicJwk, codePepper: b64url(derive('sms-code')) };
  }
}

/**
 * The auth secret: `AUTH_SECRET` locally, Secrets Manager (`AUTH_SECRET_ARN`) in the cloud, fetched once
 * per container. Only the auth functions and the public-key publisher may read it.
 */
export async function loadAuthKeys(env: { AUTH_SECRET?: string | undefined; AUTH_SECRET_ARN?: string | undefined; AWS_REGION: string }): Promise<AuthKeys> {
  if (env.AUTH_SECRET) return deriveAuthKeys(env.AUTH_SECRET);
  if (!env.AUTH_SECRET_ARN) throw new Error('Neither AUTH_SECRET nor AUTH_SECRET_ARN is set');
  const client = new SecretsManagerClient({ region: env.AWS_REGION });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: env.AUTH_SECRET_ARN }));
  client.destroy();
  if (!SecretString || SecretString.length < 32) throw new Error('The auth secret is missing or too short');
  return deriveAuthKeys(SecretString);
}

/**
 * A JSON secret from Secrets Manager (an SMS provider's API key), checked with `schema` so a secret
 * filled in wrongly fails with the names of its missing fields — never with its values.
 */
export async function getSecretJson<T>(secretArn: string, region: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[] }> } } }): Promise<T> {
  const client = new SecretsManagerClient({ region });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    let json: unknown;
    try {
      json = JSON.parse(SecretString ?? '');
    } catch {
      throw new Error(`The secret ${secretArn} is not JSON`);
    }
    const result = schema.safeParse(json);
    if (!result.success) throw new Error(`The secret ${secretArn} lacks ${result.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    return result.data;
  } finally {
    client.destroy();
  }
}
