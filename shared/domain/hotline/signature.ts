import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '#shared/domain/errors';

/**
 * Standard Webhooks signatures: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the
 * base64 part of a `whsec_…` secret. Several space-separated signatures may come (key rotation).
 */
export const TOLERANCE_SECONDS = 5 * 60;

const keyOf = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

export function sign(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * Verifies a delivery against the current and previous secrets: all three headers present, timestamp
 * within 5 minutes either way (replays of old deliveries fail), and one `v1` signature equal in
 * constant time — as the exact string we would send: decoding the presented base64 first would accept
 * other spellings of the same bytes (a character appended, missing padding). Anything else is 401 with
 * no hint of which part failed.
 */
export function verify(secrets: string[], headers: Record<string, string | undefined>, body: string, now: Date): { id: string; timestamp: number } {
  const id = headers['webhook-id'];
  const timestamp = Number(headers['webhook-timestamp']);
  const signatures = (headers['webhook-signature'] ?? '').split(' ').filter(Boolean);
  const fail = () => new UnauthenticatedError('The webhook signature is missing, invalid or stale');
  if (!id || !Number.isInteger(timestamp) || signatures.length === 0) throw fail();
  if (Math.abs(now.getTime() / 1000 - timestamp) > TOLERANCE_SECONDS) throw fail();
  const presented = signatures.filter((s) => s.startsWith('v1,')).map((s) => Buffer.from(s, 'utf8'));
  for (const secret of secrets.filter(Boolean)) {
    const expected = Buffer.from(sign(secret, id, timestamp, body), 'utf8');
    if (presented.some((p) => p.length === expected.length && timingSafeEqual(p, expected))) return { id, timestamp };
  }
  throw fail();
}
