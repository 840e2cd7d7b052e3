import * as z from '#shared/validation/zod';
import { ValidationError, type FieldIssue } from '#shared/domain/errors';
import { DEFAULT_LANGUAGE, type Language } from './messages.ts';
import { localizeIssueMessage, zodParseOptions } from './zod-locale.ts';

/**
 * Parses `input` with a zod schema, or throws a {@link ValidationError} whose details name each field
 * (`location.lat`), in `language`. `prefix` places query and path parameters (`query.limit`); bodies have none.
 */
export function parseWith<S extends z.core.$ZodType>(schema: S, input: unknown, prefix = '', language: Language = DEFAULT_LANGUAGE): z.output<S> {
  const result = z.safeParse(schema, input, zodParseOptions(language));
  if (result.success) return result.data;
  throw new ValidationError('The request is not valid', issuesOf(result.error, prefix, language), { id: 'request.invalid' });
}

interface RequestSchemas {
  body?: z.core.$ZodType;
  query?: z.core.$ZodType;
  params?: z.core.$ZodType;
}

/** What a route that takes no query parameters accepts: none (an unknown one is refused, as elsewhere). */
const NO_QUERY = z.strict(z.object({}));

/**
 * Validates body, query and path parameters together, so that one 400 lists every problem of the
 * request instead of the first part's only. With `strictQuery`, a route without a query schema refuses
 * any query parameter, as routes with one refuse parameters they do not name.
 */
export function parseRequest(schemas: RequestSchemas | undefined, input: { body: unknown; query: unknown; params: unknown }, language: Language = DEFAULT_LANGUAGE, strictQuery = false) {
  const details: FieldIssue[] = [];
  const options = zodParseOptions(language);
  const part = (schema: z.core.$ZodType | undefined, value: unknown, prefix: string) => {
    if (!schema) return undefined;
    const result = z.safeParse(schema, value, options);
    if (result.success) return result.data;
    details.push(...issuesOf(result.error, prefix, language));
    return undefined;
  };
  const parsed = {
    params: part(schemas?.params, input.params, 'path'),
    query: schemas?.query || !strictQuery ? part(schemas?.query, input.query, 'query') : void part(NO_QUERY, input.query, 'query'),
    body: part(schemas?.body, input.body, ''),
  };
  if (details.length > 0) throw new ValidationError('The request is not valid', details, { id: 'request.invalid' });
  return parsed;
}

function issuesOf(error: z.core.$ZodError, prefix: string, language: Language): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || prefix || 'body',
    message: localizeIssueMessage(language, issue.message),
  }));
}
