import { ValidationError } from '#shared/domain/errors';

/**
 * `If-Match: "<version>"` of an admin write (categories, grids, calendar years, departments): the
 * version the caller read, or undefined without the header (last writer wins). Only one strong entity
 * tag of our own form is taken (`W/` tags, lists and `*` are a 400: RFC 9110 compares If-Match strongly,
 * and these items have one version each).
 */
export function ifMatchVersion(headers: Readonly<Record<string, string | undefined>>): number | undefined {
  const header = headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*"(0|[1-9]\d{0,8})"\s*$/.exec(header);
  if (!match) throw new ValidationError('If-Match must be one entity tag as sent in ETag, e.g. "3"', [{ path: 'headers.if-match', message: 'Send the ETag of the item as read, e.g. "3"' }], { id: 'request.invalid' });
  return Number(match[1]);
}

/** The `ETag` header of a versioned item (a strong tag: the version). */
export const etagOf = (version: number) => ({ etag: `"${version}"` });
