import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '#shared/domain/errors';

/**
 * Parses `input` with a zod schema, or throws a {@link ValidationError} whose details name each field
 * (`location.lat`). `prefix` places query and path parameters (`query.limit`); bodies have none.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details: FieldIssue[] = result.error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || (prefix || 'body'),
    message: issue.message,
  }));
  throw new ValidationError('The request is not valid', details);
}
