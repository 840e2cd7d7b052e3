import type { Role } from '#shared/domain/roles';
import { withoutPhones, type AuditEntry } from './chain.ts';
import type { AuditFilter, AuditLog } from './ports.ts';

/** An entry as a viewer may read it: whole for an admin, without any phone number for anyone else (the leader). */
export function auditView(entry: AuditEntry, viewer: { roles: readonly Role[] }): AuditEntry {
  if (viewer.roles.includes('admin')) return entry;
  const { before, after, ...rest } = entry;
  return { ...rest, ...(before !== undefined ? { before: withoutPhones(before, undefined) } : {}), ...(after !== undefined ? { after: withoutPhones(after, undefined) } : {}) };
}

/** 操作日志 — the record, newest first, filtered by time, actor and kind. */
export async function listAuditEntries(log: Pick<AuditLog, 'list'>, viewer: { roles: readonly Role[] }, query: AuditFilter & { limit: number; cursor?: string | undefined }) {
  const { limit, cursor, ...filter } = query;
  const page = await log.list(filter, { limit, cursor });
  return { items: page.items.map((e) => auditView(e, viewer)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
