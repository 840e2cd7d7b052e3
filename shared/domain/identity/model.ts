import type { Role } from '#shared/domain/roles';
import { maskPhone } from '#shared/domain/phone';

export interface User {
  id: string;
  phone: string;
  displayName: string;
  roles: Role[];
  departmentId?: string | undefined;
  status: 'active' | 'disabled';
  /** Staff: the grids the person patrols (监督员: field checks go to a supervisor of the case's grid). */
  gridIds?: string[] | undefined;
  /** Raised to end every refresh-token family of the user at once; absent = 0. */
  sessionEpoch?: number | undefined;
  createdAt: string;
}

/** Who is calling, as the auth middleware establishes it from a verified token and the stored user. */
export interface Principal {
  userId: string;
  roles: Role[];
  departmentId?: string | undefined;
  displayName: string;
  /** The session (refresh-token family) of the access token: live sockets are bound to it. */
  sessionId?: string | undefined;
}

/** The contract's `user`: the full phone only for its owner, masked for everyone else. */
export function userView(user: User, viewer: { userId: string } | undefined) {
  return {
    id: user.id,
    phone: viewer?.userId === user.id ? user.phone : maskPhone(user.phone),
    displayName: user.displayName,
    roles: user.roles,
    ...(user.departmentId ? { departmentId: user.departmentId } : {}),
    ...(user.gridIds?.length ? { gridIds: user.gridIds } : {}),
    ...(user.status === 'disabled' ? { status: user.status } : {}),
  };
}

/** A citizen's default display name: 市民 and the last four digits. */
export const defaultDisplayName = (phone: string) => `市民${phone.slice(-4)}`;

/** What the audit record (操作日志) keeps of a staff account (the phone is erasable; the leader's view drops it). */
export const staffAuditView = (u: User) => ({
  id: u.id,
  phone: u.phone,
  displayName: u.displayName,
  roles: [...u.roles].sort(),
  ...(u.departmentId ? { departmentId: u.departmentId } : {}),
  gridIds: [...(u.gridIds ?? [])].sort(),
  status: u.status,
});
