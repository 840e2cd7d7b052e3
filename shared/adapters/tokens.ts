import { SignJWT, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { UnauthenticatedError } from '#shared/domain/errors';
import type { TokenIssuer } from '#shared/domain/identity/ports';

const ISSUER = 'citygrid';
const AUDIENCE = 'citygrid-api';

/**
 * Access tokens: HS256 JWTs signed with a key derived from the auth secret. The token carries the user
 * id (and roles, for clients' convenience); the auth middleware re-reads the user on every request, so
 * a disabled account or a changed role takes effect at once.
 */
export function createTokenService(key: Uint8Array, ttlSeconds: number): TokenIssuer & { verify(token: string): Promise<{ userId: string }> } {
  return {
    async issue(principal) {
      const accessToken = await new SignJWT({ roles: principal.roles, ...(principal.departmentId ? { dep: principal.departmentId } : {}) })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(principal.userId)
        .setJti(randomUUID())
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
      return { accessToken, expiresIn: ttlSeconds };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        if (!payload.sub) throw new Error('no subject');
        return { userId: payload.sub };
      } catch {
        // Expired, tampered, wrong key, wrong algorithm: one answer, no detail to probe with.
        throw new UnauthenticatedError('The access token is invalid or has expired');
      }
    },
  };
}
