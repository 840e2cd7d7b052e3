import { ForbiddenError, UnauthenticatedError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import type { Role } from '#shared/domain/roles';
import { getConfig } from '#shared/config/index';
import type { User } from '#shared/domain/identity/model';
import { getIdentityStore, getTokenVerifier } from '#shared/wiring/identity';

/** Users read for auth, kept briefly per container: most requests then cost no extra round trip. */
const recentUsers = new Map<string, { user: User | undefined; at: number }>();

async function currentUser(userId: string, load: (id: string) => Promise<User | undefined>): Promise<User | undefined> {
  const ttlMs = getConfig().AUTH_USER_CACHE_SECONDS * 1000;
  const hit = recentUsers.get(userId);
  if (hit && Date.now() - hit.at < ttlMs) return hit.user;
  const user = await load(userId);
  if (recentUsers.size > 10_000) recentUsers.clear(); // bound the memory of a long-lived container
  recentUsers.set(userId, { user, at: Date.now() });
  return user;
}

/**
 * THE place where the route table's roles are enforced. Verifies the bearer token, re-reads the user
 * (at most `AUTH_USER_CACHE_SECONDS` old: a disabled or deleted account stops working within that,
 * role changes apply within that) and checks that the user holds one of the route's roles.
 */
export async function authenticate(authorization: string | undefined, allowed: readonly Role[]): Promise<Principal> {
  const token = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new UnauthenticatedError('An access token is required (Authorization: Bearer …)', { id: 'auth.token-required' });
  const { userId } = await getTokenVerifier().verify(token);
  const user = await currentUser(userId, (id) => getIdentityStore().getUser(id));
  if (!user || user.status !== 'active') throw new UnauthenticatedError('The account is disabled or no longer exists', { id: 'auth.account-inactive' });
  if (!user.roles.some((role) => allowed.includes(role))) throw new ForbiddenError('Your role may not use this route', { id: 'auth.role-forbidden' });
  return { userId: user.id, roles: user.roles, departmentId: user.departmentId, displayName: user.displayName };
}
