/** The kinds of administrative change the audit record (操作日志) holds (its own module: the contract's schemas name them without the chain's crypto). */
export const AUDIT_KINDS = [
  'staff.create',
  'staff.update',
  'staff.batch',
  'department.put',
  'category.put',
  'grid.put',
  'grid.batch',
  'calendar.put',
  'api-key.create',
  'api-key.revoke',
  'city.import',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];
