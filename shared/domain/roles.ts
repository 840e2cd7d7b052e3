/**
 * The roles of the contract (README, "Logging in"). A user may hold several.
 * 监督员 supervisor · 坐席员 agent · dispatcher (a department's officer) · 处置人员 handler.
 */
export const ROLES = ['citizen', 'supervisor', 'agent', 'dispatcher', 'handler', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that belong to staff (created by an admin, bound to a department). */
export const STAFF_ROLES = ['supervisor', 'agent', 'dispatcher', 'handler', 'leader', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];
