import * as z from '#shared/validation/zod';

/** The contract's error body: `{ error: { code, message, details? } }`. */
export const ErrorBody = z.lazy(() => z.withMeta(z.object({
  error: z.object({
    code: z.withMeta(z.string(), { example: 'VALIDATION_FAILED' }),
    message: z.string(),
    details: z.optional(z.union([
      z.array(z.object({ path: z.string(), message: z.string() })),
      z.withMeta(z.object({
        currentVersion: z.number().check(z.int()),
        updatedAt: z.optional(z.string()),
        updatedBy: z.optional(z.object({ id: z.string(), displayName: z.string() })),
      }), { id: 'StaleVersion', description: '412 PRECONDITION_FAILED: the stored version, when and by whom it was written (absent for items stored before versions)' }),
    ])),
    requestId: z.optional(z.string()),
  }),
}), { id: 'Error' }));

export const HealthBody = z.lazy(() => z.withMeta(z.object({ status: z.literal('ok') }), { id: 'Health' }));

/** A message the local outbox "sent" instead of SNS (local stack only). */
export const OutboxMessageBody = z.lazy(() => z.withMeta(z.object({
  id: z.string(),
  channel: z.enum(['sms', 'topic', 'callback', 'dead-letter']),
  /** Phone (E.164) for SMS, topic name for fan-out. Local only, never deployed. */
  destination: z.string(),
  subject: z.optional(z.string()),
  body: z.string(),
  attributes: z.optional(z.record(z.string(), z.string())),
  createdAt: z.string(),
}), { id: 'OutboxMessage' }));

export const OutboxListBody = z.lazy(() => z.object({
  items: z.array(OutboxMessageBody),
  nextCursor: z.optional(z.string()),
}));

/**
 * A number in a query string: plain decimal notation only (`26.879`, `-5`, `20`). `Number()` would also
 * take `''`, `' '`, `0x1A`, `1e3` or `Infinity`; none of those is a number a client means to send.
 */
export const QueryNumber = z.pipe(z.string().check(z.regex(/^-?(0|[1-9]\d{0,15})(\.\d{1,15})?$/, 'A decimal number (digits, optional sign and decimal point)')), z.transform(Number));

/** A whole number in a query string, decimal digits only (no sign, no hex, no exponent). */
export const QueryInteger = z.pipe(z.string().check(z.regex(/^(0|[1-9]\d{0,8})$/, 'A whole number in decimal digits')), z.transform(Number));

/** `limit` (1–100, default 20) and `cursor`, as every list route takes them. */
export const PageQuery = z.strict(z.object({
  limit: z._default(z.pipe(QueryInteger, z.number().check(z.int(), z.gte(1), z.lte(100))), 20),
  cursor: z.withMeta(z.optional(z.string().check(z.minLength(1), z.maxLength(1024))), { description: 'nextCursor of the previous page of the same list (opaque, signed)' }),
}));
