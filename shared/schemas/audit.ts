import * as z from '#shared/validation/zod';
import { AUDIT_KINDS } from '#shared/domain/audit/kinds';
import { PageQuery } from './common.ts';

const Instant = z.lazy(() => z.withMeta(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/, 'An ISO 8601 UTC time (2026-12-07T08:00:00Z)')), { example: '2026-12-07T00:00:00Z' }));

export const AuditQuery = z.lazy(() => z.strict(z.extend(PageQuery, {
  from: z.withMeta(z.optional(Instant), { description: 'Entries at or after this time' }),
  to: z.withMeta(z.optional(Instant), { description: 'Entries before this time' }),
  actorId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  kind: z.optional(z.enum(AUDIT_KINDS)),
})));

export const AuditEntryBody = z.lazy(() => z.withMeta(z.object({
  seq: z.number().check(z.int()),
  at: z.string(),
  actorId: z.withMeta(z.string(), { description: 'The admin (user id), or city-cli for the operators\' CLI' }),
  actorName: z.string(),
  kind: z.enum(AUDIT_KINDS),
  target: z.string(),
  before: z.optional(z.unknown()),
  after: z.optional(z.unknown()),
  digest: z.withMeta(z.string(), { description: 'SHA-256 of the entry\'s RFC 8785 canonical JSON (seq, at, actorId, actorName, kind, target, before, after)' }),
  hash: z.withMeta(z.string(), { description: 'HMAC-SHA-256(key, prevHash ‖ digest)' }),
  prevHash: z.string(),
  erased: z.withMeta(z.optional(z.boolean()), { description: 'Personal data was erased from before/after; the digest is the original content\'s' }),
}), { id: 'AuditEntry' }));
export const AuditList = z.lazy(() => z.withMeta(z.object({ items: z.array(AuditEntryBody), nextCursor: z.optional(z.string()) }), { id: 'AuditList' }));
