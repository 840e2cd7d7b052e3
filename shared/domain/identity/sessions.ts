import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens (会话续期): opaque, `{familyId}.{secret}`, 256 random bits of secret. Only their SHA-256
 * is stored — enough for a high-entropy token (no pepper needed, no guessing to slow down). A family is
 * one login on one device; every refresh replaces its token, so a token seen a second time was copied.
 */
export const REFRESH_TOKEN_POLICY = {
  /** Each token lives 30 days from its issue; using it issues the next one for another 30. */
  lifetimeSeconds: 30 * 24 * 3600,
} as const;

const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** A new token of `familyId` (a new family when none is given). */
export function newRefreshToken(familyId = randomBytes(16).toString('base64url')) {
  const token = `${familyId}.${randomBytes(32).toString('base64url')}`;
  return { familyId, token, hash: hashRefreshToken(token) };
}

/** The family a presented token claims, and its hash; undefined when it is not one of ours. */
export function parseRefreshToken(token: string): { familyId: string; hash: string } | undefined {
  const match = TOKEN.exec(token);
  return match ? { familyId: match[1]!, hash: hashRefreshToken(token) } : undefined;
}
