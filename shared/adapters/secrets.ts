import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { hkdfSync } from 'node:crypto';
import type { Config } from '#shared/config/index';

export interface AuthKeys {
  /** HS256 key of the access tokens. */
  jwtKey: Uint8Array;
  /** Key of the SMS code hashes. */
  codePepper: string;
}

/** Derives independent keys for tokens and code hashes from the one auth secret (HKDF-SHA256). */
export function deriveAuthKeys(secret: string): AuthKeys {
  const derive = (info: string) => new Uint8Array(hkdfSync('sha256', secret, 'citygrid', info, 32));
  return { jwtKey: derive('access-token'), codePepper: Buffer.from(derive('sms-code')).toString('base64url') };
}

/**
 * The auth secret: from `AUTH_SECRET` locally, from Secrets Manager (`AUTH_SECRET_ARN`) in the cloud,
 * fetched once per container.
 */
export async function loadAuthKeys(config: Config): Promise<AuthKeys> {
  if (config.AUTH_SECRET) return deriveAuthKeys(config.AUTH_SECRET);
  if (!config.AUTH_SECRET_ARN) throw new Error('Neither AUTH_SECRET nor AUTH_SECRET_ARN is set');
  const client = new SecretsManagerClient({ region: config.AWS_REGION });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: config.AUTH_SECRET_ARN }));
  client.destroy();
  if (!SecretString || SecretString.length < 32) throw new Error('The auth secret is missing or too short');
  return deriveAuthKeys(SecretString);
}
