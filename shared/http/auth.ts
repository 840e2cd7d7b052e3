import { ForbiddenError, UnauthenticatedError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import type { Role } from '#shared/domain/roles';
import { getTokenVerifier, isSessionActive } from '#shared/wiring/identity';

/**
 * THE place where the route table's roles are enforced. Verifies the bearer token (signature, expiry,
 * lifetime, session claim), then checks that its session is still on (`isSessionActive`: the account
 * at most `AUTH_USER_CACHE_SECONDS` old — disabling, cancelling and role changes apply within that —
 * and the session at most `SESSION_CHECK_SECONDS` old — logout and revocation apply within that), and
 * that the account holds one of the route's roles.
 */
export async function authenticate(authorization: string | undefined, allowed: readonly Role[]): Promise<Principal> {
  const token = bearerToken(authorization);
  if (token === undefined) throw new UnauthenticatedError('An access token is required (Authorization: Bearer …)', { id: 'auth.token-required' });
  if (token === null) throw new UnauthenticatedError('The access token is invalid or has expired', { id: 'auth.token-invalid' });
  const claims = await getTokenVerifier().verify(token);
  const state = await isSessionActive(claims);
  if (!state.active) {
    throw state.reason === 'account-inactive'
      ? new UnauthenticatedError('The account is disabled or no longer exists', { id: 'auth.account-inactive' })
      : new UnauthenticatedError('The session has ended; log in again', { id: 'auth.session-ended' });
  }
  const { user } = state;
  if (!user.roles.some((role) => allowed.includes(role))) throw new ForbiddenError('Your role may not use this route', { id: 'auth.role-forbidden' });
  return { userId: user.id, roles: user.roles, departmentId: user.departmentId, displayName: user.displayName, sessionId: claims.sessionId };
}

/**
 * The token of an `Authorization: Bearer …` header: `undefined` when there is none (no header, another
 * scheme, or `Bearer` with nothing after it — "log in first"), `null` when something that cannot be a
 * token was sent (spaces, quotes, other characters — "the token is invalid", not "missing").
 */
export function bearerToken(authorization: string | undefined): string | null | undefined {
  const match = /^Bearer(?:\s+(.*))?$/i.exec(authorization?.trim() ?? '');
  const value = match?.[1]?.trim();
  if (!value) return undefined;
  return /^[A-Za-z0-9._~+/=-]+$/.test(value) ? value : null;
}
