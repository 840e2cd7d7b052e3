import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { hkdfSync } from 'node:crypto';

/** The audit chain's HMAC key, derived from the audit secret (HKDF), so the secret itself signs nothing directly. */
export const auditKeyOf = (secret: string) => new Uint8Array(hkdfSync('sha256', secret, 'citygrid', 'audit-chain-v1', 32));

/**
 * The audit secret: `AUDIT_SECRET` locally (`.data/local.env`), Secrets Manager (`AUDIT_SECRET_ARN`) in
 * the cloud, read once per container by the admin functions and the anchoring function only.
 */
export async function loadAuditKey(env: { AUDIT_SECRET?: string | undefined; AUDIT_SECRET_ARN?: string | undefined; AWS_REGION: string }): Promise<Uint8Array> {
  if (env.AUDIT_SECRET) return auditKeyOf(env.AUDIT_SECRET);
  if (!env.AUDIT_SECRET_ARN) throw new Error('Neither AUDIT_SECRET nor AUDIT_SECRET_ARN is set');
  const client = new SecretsManagerClient({ region: env.AWS_REGION });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: env.AUDIT_SECRET_ARN }));
  client.destroy();
  if (!SecretString || SecretString.length < 32) throw new Error('The audit secret is missing or too short');
  return auditKeyOf(SecretString);
}
