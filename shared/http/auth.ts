import { ForbiddenError, UnauthenticatedError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import type { Role } from '#shared/domain/roles';
import { getAuthRuntime } from '#shared/wiring/identity';

/**
 * THE place where the route table's roles are enforced. Verifies the bearer token, re-reads the user
 * (a disabled or deleted account stops working at once, role changes apply at once) and checks that
 * the user holds one of the route's roles.
 */
export async function authenticate(authorization: string | undefined, allowed: readonly Role[]): Promise<Principal> {
  const token = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new UnauthenticatedError('An access token is required (Authorization: Bearer …)');
  const runtime = await getAuthRuntime();
  const { userId } = await runtime.tokens.verify(token);
  const user = await runtime.store.getUser(userId);
  if (!user || user.status !== 'active') throw new UnauthenticatedError('The account is disabled or no longer exists');
  if (!user.roles.some((role) => allowed.includes(role))) throw new ForbiddenError('Your role may not use this route');
  return { userId: user.id, roles: user.roles, departmentId: user.departmentId, displayName: user.displayName };
}
