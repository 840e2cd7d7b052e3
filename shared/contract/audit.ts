/** 操作日志: the tamper-evident record of administrative changes. */
import { errors, type RouteSpec } from './route-spec.ts';
import { AuditList, AuditQuery } from '#shared/schemas/audit';

export const listAudit = {
  method: 'GET',
  path: '/v1/admin/audit',
  handler: 'functions/admin/list-audit.ts',
  access: ['admin', 'leader'],
  summary: '操作日志 — every administrative change, newest first, hash-chained (a leader reads it without phone numbers)',
  description:
    'Each entry: who (actorId, actorName), what (kind, target), the item before and after, and its place in the chain: digest = SHA-256 of the entry\'s RFC 8785 canonical JSON, hash = HMAC-SHA-256(key, prevHash ‖ digest) with a key outside the table. API key entries hold neither the key nor its hash. `npm run city -- audit verify` walks the chain.',
  tag: 'Admin',
  request: { query: AuditQuery },
  responses: { 200: { description: 'Entries, newest first', schema: AuditList }, ...errors(400, 401, 403) },
  needs: { table: 'read' },
} as const satisfies RouteSpec;
