import { SignJWT, importJWK, jwtVerify, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { UnauthenticatedError } from '#shared/domain/errors';
import type { TokenIssuer } from '#shared/domain/identity/ports';

const ISSUER = 'citygrid';
const AUDIENCE = 'citygrid-api';
const ALG = 'ES256';

/**
 * Access tokens: ES256 JWTs. The private key lives only in the auth functions (register, login); every
 * other function verifies with the public key, so none of them could mint a token. The token carries
 * the user id (roles for clients' convenience); the auth middleware re-reads the user anyway.
 */
export function createTokenIssuer(signingJwk: JWK, ttlSeconds: number): TokenIssuer {
  const key = importJWK(signingJwk, ALG);
  return {
    async issue(principal) {
      const accessToken = await new SignJWT({ roles: principal.roles, ...(principal.departmentId ? { dep: principal.departmentId } : {}) })
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
  verify(token: string): Promise<{ userId: string }>;
}

export function createTokenVerifier(publicJwk: JWK): TokenVerifier {
  const key = importJWK(publicJwk, ALG);
  return {
    async verify(token) {
      try {
        // Only ES256: an HS256 token "signed" with the public key, or alg none, is refused here. A token
        // without `exp` (or `iat`) would never expire: refused even when the signature is good.
        const { payload } = await jwtVerify(token, await key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG], requiredClaims: ['exp', 'iat', 'sub'] });
        if (!payload.sub) throw new Error('no subject');
        return { userId: payload.sub };
      } catch {
        // Expired, tampered, wrong key, wrong algorithm: one answer, no detail to probe with.
        throw new UnauthenticatedError('The access token is invalid or has expired', { id: 'auth.token-invalid' });
      }
    },
  };
}
