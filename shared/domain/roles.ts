/**
 * The roles of the contract (README, "Logging in"). A user may hold several.
 * 监督员 supervisor · 坐席员 agent · dispatcher (a department's officer) · 处置人员 handler.
 */
export const ROLES = ['citizen', 'supervisor', 'agent', 'dispatcher', 'handler', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The public name of each role: what a citizen reads instead of a staff member's name (the contract's
 * rule "what a reporter sees").
 */
export const ROLE_PUBLIC_NAMES: Record<Role, string> = {
  citizen: '市民',
  supervisor: '城管监督员',
  agent: '受理坐席',
  dispatcher: '派遣员',
  handler: '处置人员',
  leader: '城管领导',
  admin: '系统管理员',
};

/** Roles that belong to staff (created by an admin, bound to a department). */
export const STAFF_ROLES = ['supervisor', 'agent', 'dispatcher', 'handler', 'leader', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];
