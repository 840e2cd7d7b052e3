import * as z from 'zod';

/** The contract's error body: `{ error: { code, message, details? } }`. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const HealthBody = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

/** A message the local outbox "sent" instead of SNS (local stack only). */
export const OutboxMessageBody = z
  .object({
    id: z.string(),
    channel: z.enum(['sms', 'topic', 'callback', 'dead-letter']),
    /** Phone (E.164) for SMS, topic name for fan-out. Local only, never deployed. */
    destination: z.string(),
    subject: z.string().optional(),
    body: z.string(),
    attributes: z.record(z.string(), z.string()).optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'OutboxMessage' });

export const OutboxListBody = z.object({
  items: z.array(OutboxMessageBody),
  nextCursor: z.string().optional(),
});

/**
 * A number in a query string: plain decimal notation only (`26.879`, `-5`, `20`). `Number()` would also
 * take `''`, `' '`, `0x1A`, `1e3` or `Infinity`; none of those is a number a client means to send.
 */
export const QueryNumber = z
  .string()
  .regex(/^-?(0|[1-9]\d{0,15})(\.\d{1,15})?$/, 'A decimal number (digits, optional sign and decimal point)')
  .transform(Number);

/** A whole number in a query string, decimal digits only (no sign, no hex, no exponent). */
export const QueryInteger = z
  .string()
  .regex(/^(0|[1-9]\d{0,8})$/, 'A whole number in decimal digits')
  .transform(Number);

/** `limit` (1–100, default 20) and `cursor`, as every list route takes them. */
export const PageQuery = z
  .object({
    limit: QueryInteger.pipe(z.number().int().min(1).max(100)).default(20),
    cursor: z.string().min(1).max(1024).optional().meta({ description: 'nextCursor of the previous page of the same list (opaque, signed)' }),
  })
  .strict();
