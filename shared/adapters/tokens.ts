import { SignJWT, importJWK, jwtVerify, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { UnauthenticatedError } from '#shared/domain/errors';
import type { TokenIssuer } from '#shared/domain/identity/ports';

const ISSUER = 'citygrid';
const AUDIENCE = 'citygrid-api';
const ALG = 'ES256';

/** How far a token's `iat` may lie ahead of the verifying function's clock (functions' clocks are NTP-synced). */
export const CLOCK_SKEW_SECONDS = 30;

/**
 * Access tokens: ES256 JWTs. The private key lives only in the auth functions (register, login, refresh);
 * every other function verifies with the public key, so none of them could mint a token. The token
 * carries the user id, the session it belongs to (`sid`: the refresh-token family) and, for clients'
 * convenience, the roles; the auth middleware re-reads the user and the session anyway.
 */
export function createTokenIssuer(signingJwk: JWK, ttlSeconds: number): TokenIssuer {
  const key = importJWK(signingJwk, ALG);
  return {
    async issue(principal, sessionId) {
      const accessToken = await new SignJWT({ sid: sessionId, roles: principal.roles, ...(principal.departmentId ? { dep: principal.departmentId } : {}) })
        .setProtectedHeader({ alg: ALG, typ: 'JWT' })
        .setSubject(principal.userId)
        .setJti(randomUUID())
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(await key);
      return { accessToken, expiresIn: ttlSeconds };
    },
  };
}

export interface TokenVerifier {
  /** The token's user and session (`sid`); 401 for anything else. */
  verify(token: string): Promise<{ userId: string; sessionId: string }>;
}

/**
 * `maxLifetimeSeconds`: the lifetime tokens are issued with (ACCESS_TOKEN_TTL_SECONDS); a token whose `exp`
 * lies further from its `iat` was not issued by us as configured and is refused, as is one whose `iat`
 * is more than {@link CLOCK_SKEW_SECONDS} ahead. `now` (epoch seconds) is for tests.
 */
export function createTokenVerifier(publicJwk: JWK, options: { maxLifetimeSeconds: number; now?: () => number }): TokenVerifier {
  const key = importJWK(publicJwk, ALG);
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return {
    async verify(token) {
      try {
        // Only ES256: an HS256 token "signed" with the public key, or alg none, is refused here. A token
        // without `exp` (or `iat`, or a session) would never expire or end: refused even when the signature is good.
        const at = now();
        const { payload } = await jwtVerify(token, await key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG], requiredClaims: ['exp', 'iat', 'sub', 'sid'], currentDate: new Date(at * 1000) });
        const { sub, sid, iat, exp } = payload as { sub?: unknown; sid?: unknown; iat: number; exp: number };
        if (typeof sub !== 'string' || !sub || typeof sid !== 'string' || !sid) throw new Error('no subject or session');
        if (iat > at + CLOCK_SKEW_SECONDS) throw new Error('issued in the future');
        if (exp - iat > options.maxLifetimeSeconds) throw new Error('lives longer than issued');
        return { userId: sub, sessionId: sid };
      } catch {
        // Expired, tampered, wrong key, wrong algorithm: one answer, no detail to probe with.
        throw new UnauthenticatedError('The access token is invalid or has expired', { id: 'auth.token-invalid' });
      }
    },
  };
}
