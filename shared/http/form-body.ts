import { ValidationError } from '#shared/domain/errors';

/**
 * A form body's fields: one value, or a list when the field is repeated or named `field[]`. A
 * null-prototype object: no field name (`constructor`, `toString`, `__proto__`) reads or writes
 * anything but its own field.
 */
export type FormFields = Record<string, string | string[]>;

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** Is this `content-type` a URL-encoded form? */
export const isFormContentType = (contentType: string) => FORM_TYPE.test(contentType);

/**
 * Parses an `application/x-www-form-urlencoded` body (`+` is a space, `%XX` UTF-8). A field given more
 * than once, or named with a trailing `[]` (PHP's convention, which Open311 uses for multi-value
 * attributes: `attribute[code][]=a&attribute[code][]=b`), becomes a list under the name without `[]`.
 * Names such as `attribute[code]` stay as they are: the route's schema gives them meaning. A field named
 * `__proto__` is refused (400): no schema could tell it from an object's prototype.
 */
export function parseForm(text: string): FormFields {
  const fields: FormFields = Object.create(null) as FormFields;
  let count = 0;
  for (const [rawName, value] of new URLSearchParams(text)) {
    // A body of thousands of `a&a&a…` is an attack, not a report: refused before any work per field.
    if (++count > MAX_FORM_FIELDS) throw new ValidationError('Too many form fields', [{ path: 'body', message: `At most ${MAX_FORM_FIELDS} fields` }]);
    const isList = rawName.endsWith('[]');
    const name = isList ? rawName.slice(0, -2) : rawName;
    if (name === '__proto__') throw new ValidationError('A form field may not be named __proto__', [{ path: name, message: 'Unknown field' }]);
    if (name === '') continue;
    const seen = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (seen === undefined) fields[name] = isList ? [value] : value;
    else if (Array.isArray(seen)) seen.push(value);
    else fields[name] = [seen, value];
  }
  return fields;
}

/** The most fields a form body may have (Open311's richest request has a few dozen). */
export const MAX_FORM_FIELDS = 500;
