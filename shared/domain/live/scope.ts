import type { Role } from '#shared/domain/roles';
import type { LiveAudience } from './messages.ts';

/** Who may open the live channel: staff (citizens have none). */
export const LIVE_ROLES = ['agent', 'leader', 'admin', 'dispatcher', 'handler', 'supervisor'] as const satisfies readonly Role[];
/** Roles that hear every message. */
const CITY_WIDE: readonly Role[] = ['agent', 'leader', 'admin'];

/** Whoever holds a socket or asks for missed messages: the account as it was checked. */
export interface LiveViewer {
  userId: string;
  roles: readonly Role[];
  departmentId?: string | undefined;
}

export const mayUseLive = (roles: readonly Role[]) => roles.some((r) => (LIVE_ROLES as readonly Role[]).includes(r));

/**
 * The contract's scope, as a table of rules: agents, leaders and admins hear everything; a dispatcher
 * the messages of its department's subtree (the message's department path passes through its
 * department); a handler or supervisor (and anyone) the messages about themselves.
 */
export function hears(viewer: LiveViewer, audience: LiveAudience): boolean {
  if (viewer.roles.some((r) => CITY_WIDE.includes(r))) return true;
  if (viewer.roles.includes('dispatcher') && viewer.departmentId && audience.departmentPath?.includes(viewer.departmentId)) return true;
  return mayUseLive(viewer.roles) && (audience.userIds?.includes(viewer.userId) ?? false);
}
