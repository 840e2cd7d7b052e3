import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '#shared/domain/errors';
import type { CursorCodec } from '#shared/domain/cases/ports';

const VERSION = 'c1';

const invalid = () =>
  new ValidationError('The cursor is not valid for this list', [{ path: 'query.cursor', message: 'Use nextCursor from the previous page of the same list' }]);

/**
 * Opaque, verifiable list cursors: `c1.{payload}.{mac}` (base64url). `payload` is the store's own
 * position (DynamoDB's LastEvaluatedKey, base64url JSON: shared/data/operations.ts); `mac` is HMAC-SHA256 over the version,
 * the payload and the list's scope (which list, which caller, which filter), keyed with a server key.
 * A cursor that was tampered with, made up, or issued for another list or another caller fails the MAC
 * and is a 400 before DynamoDB sees it. The scope is not in the cursor: it is what the request is.
 */
export function createCursorCodec(key: Uint8Array): CursorCodec {
  const macOf = (scope: string, payload: string) => createHmac('sha256', key).update(`${VERSION}\n${scope}\n${payload}`).digest();
  return {
    seal(scope, position) {
      const payload = Buffer.from(position, 'utf8').toString('base64url');
      return `${VERSION}.${payload}.${macOf(scope, payload).toString('base64url')}`;
    },
    open(scope, cursor) {
      const [version, payload, mac, ...rest] = cursor.split('.');
      if (version !== VERSION || !payload || !mac || rest.length > 0) throw invalid();
      // Exact strings only: base64url has one spelling per byte string, so the MAC is compared as text.
      const expected = Buffer.from(macOf(scope, payload).toString('base64url'));
      const presented = Buffer.from(mac);
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) throw invalid();
      return Buffer.from(payload, 'base64url').toString('utf8');
    },
  };
}

/** The cursor key, derived from the cursor secret (HKDF), so the secret itself signs nothing directly. */
export const cursorKeyOf = (secret: string) => new Uint8Array(hkdfSync('sha256', secret, 'citygrid', 'list-cursor-v1', 32));

/**
 * The cursor secret: `CURSOR_SECRET` locally, Secrets Manager (`CURSOR_SECRET_ARN`) in the cloud, read
 * once per container by the list functions only.
 */
export async function loadCursorCodec(env: { CURSOR_SECRET?: string | undefined; CURSOR_SECRET_ARN?: string | undefined; AWS_REGION: string }): Promise<CursorCodec> {
  if (env.CURSOR_SECRET) return createCursorCodec(cursorKeyOf(env.CURSOR_SECRET));
  if (!env.CURSOR_SECRET_ARN) throw new Error('Neither CURSOR_SECRET nor CURSOR_SECRET_ARN is set');
  const client = new SecretsManagerClient({ region: env.AWS_REGION });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: env.CURSOR_SECRET_ARN }));
  client.destroy();
  if (!SecretString || SecretString.length < 32) throw new Error('The cursor secret is missing or too short');
  return createCursorCodec(cursorKeyOf(SecretString));
}
