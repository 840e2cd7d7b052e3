import * as z from '#shared/validation/zod';

/** An `Idempotency-Key` header (its own module: the duty functions take it without the cases' schemas). */
export const IdempotencyKey = z.lazy(() => z.string().check(z.minLength(8), z.maxLength(128), z.regex(/^[\w.:-]+$/, 'Letters, digits and . _ : - only')));
