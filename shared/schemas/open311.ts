/**
 * Open311 GeoReport v2 inputs (field names are the standard's) and the API key admin bodies. A form's
 * or query's empty field counts as absent, as the standard's "optional arguments" rule says.
 */
import * as z from '#shared/validation/zod';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <S extends z.core.$ZodType>(schema: S) => z.pipe(z.transform(blankToUndefined), z.optional(schema));
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** `YYYY-MM-DD` names a day of the calendar (not February 30th). */
const isCalendarDay = (day: string) => {
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
};
const [MIN_YEAR, MAX_YEAR] = [2000, 2999];
const W3C = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A W3C date-time (`2010-01-01T00:00:00Z`, `2026-05-12T08:00:00+08:00`) or a day (`2026-05-12`, the
 * start of that day in the city's time, UTC+8). A time without an offset is refused: it is ambiguous.
 */
export const W3cDateTime = z.lazy(() => z.pipe(z.string(), z.transform((value, ctx) => {
  const match = W3C.exec(value.trim());
  const iso = match ? (match[2] ? `${match[1]}T${match[2].length === 5 ? `${match[2]}:00` : match[2]}${match[3]}` : `${match[1]}T00:00:00+08:00`) : undefined;
  const at = iso ? new Date(iso) : undefined;
  // A day that does not exist (2026-02-30) is refused, not rolled over into the next month.
  if (!at || Number.isNaN(at.getTime()) || !isCalendarDay(match![1]!)) {
    z.addIssue(ctx, { code: 'custom', message: 'A W3C date-time with an offset, e.g. 2026-05-12T08:00:00+08:00 or 2026-05-12T00:00:00Z' });
    return z.NEVER;
  }
  // No case is older than the platform; a window in year 0050 would be partitioned into thousands of months.
  if (at.getUTCFullYear() < MIN_YEAR || at.getUTCFullYear() > MAX_YEAR) {
    z.addIssue(ctx, { code: 'custom', message: `A date between ${MIN_YEAR} and ${MAX_YEAR}` });
    return z.NEVER;
  }
  return at;
})));

const commaList = <S extends z.core.$ZodType<unknown, string>>(item: S, max: number) =>
  z.pipe(z.pipe(z.string(), z.transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))), z.array(item).check(z.minLength(1), z.maxLength(max)));

/** `GET /requests` filters. Unknown parameters (`jurisdiction_id`, a client's paging hints) are ignored. */
export const RequestListQuery = z.lazy(() => z.object({
  service_request_id: optional(commaList(z.string().check(z.maxLength(32)), 100)),
  service_code: optional(commaList(z.string().check(z.maxLength(20)), 100)),
  start_date: optional(W3cDateTime),
  end_date: optional(W3cDateTime),
  status: optional(commaList(z.enum(['open', 'closed']), 2)),
  api_key: optional(z.string().check(z.maxLength(200))),
}));
export type RequestListFilters = z.output<typeof RequestListQuery>;

/** Reads take nothing but an optional `api_key` (and `jurisdiction_id`, which a one-city endpoint ignores). */
export const ReadQuery = z.lazy(() => z.object({ api_key: optional(z.string().check(z.maxLength(200))) }));

const ATTRIBUTE = /^attribute\[([^\]]{1,64})\]$/;
/** An attribute's code: a word of letters, digits, `_`, `-`, `.`, `:` (the standard's codes are such). */
const ATTRIBUTE_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;
/**
 * Codes that are names objects already have (`constructor`, `toString`, `__proto__`, …): refused, as no
 * object that stores or sends the attributes on (DynamoDB's marshaller included) may see them as its own.
 */
const RESERVED_CODES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * `POST /requests` (form-encoded). `attribute[code]=value` fields (and `attribute[code][]` lists) are
 * gathered into `attribute`; any other unknown field is refused. A location is `lat` + `long`, or an
 * `address_string`.
 */
export const ServiceRequestForm = z.lazy(() => z.pipe(z.transform((input, ctx) => {
      if (!input || typeof input !== 'object') return input;
      // Null-prototype objects: a field or attribute named `constructor` or `__proto__` is only a name here.
      const fields: Record<string, unknown> = Object.create(null);
      const attribute: Record<string, unknown> = Object.create(null);
      for (const [name, value] of Object.entries(input)) {
        const match = ATTRIBUTE.exec(name);
        if (!match) fields[name] = value;
        else if (ATTRIBUTE_CODE.test(match[1]!) && !RESERVED_CODES.has(match[1]!)) attribute[match[1]!] = value;
        else z.addIssue(ctx, { code: 'custom', message: 'An attribute code is letters, digits, _ - . : and not a reserved name', path: [name] });
      }
      return Object.keys(attribute).length > 0 ? { ...fields, attribute } : { ...fields };
    }), z.strict(z.object({
        api_key: optional(z.string().check(z.maxLength(200))),
        jurisdiction_id: optional(z.string().check(z.maxLength(200))),
        service_code: text(20),
        lat: optional(z.coerce.number().check(z.gte(-90), z.lte(90))),
        long: optional(z.coerce.number().check(z.gte(-180), z.lte(180))),
        address_string: optional(text(500)),
        address_id: optional(text(200)),
        email: optional(z.email().check(z.maxLength(254))),
        device_id: optional(text(200)),
        account_id: optional(text(200)),
        first_name: optional(text(100)),
        last_name: optional(text(100)),
        phone: optional(text(32)),
        description: optional(text(4000)),
        media_url: optional(z.url({ protocol: /^https?$/ }).check(z.maxLength(2048))),
        attribute: z.optional(z.record(z.string(), z.union([z.string().check(z.maxLength(1000)), z.array(z.string().check(z.maxLength(1000))).check(z.maxLength(50))]))),
      })).check(z.refine((f) => (f.lat === undefined) === (f.long === undefined), { message: 'Send lat and long together', path: ['long'] }), z.refine((f) => f.lat !== undefined || f.address_string !== undefined, {
        message: 'A location is required: lat and long, or address_string',
        path: ['lat'],
      }))));
export type ServiceRequestInput = z.output<typeof ServiceRequestForm>;

/** `POST /v1/admin/api-keys` */
export const CreateApiKeyBody = z.lazy(() => z.withMeta(z.strict(z.object({ name: text(100) })), { id: 'CreateApiKey' }));
export const ApiKeyCreated = z.lazy(() => z.withMeta(z.object({
  id: z.string(),
  key: z.withMeta(z.string(), { description: 'Shown once: only its hash is stored' }),
  name: z.string(),
  createdAt: z.string(),
}), { id: 'ApiKeyCreated' }));
export const ApiKeyList = z.lazy(() => z.withMeta(z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), createdBy: z.withMeta(z.string(), { description: 'The admin who created it (local-platform for the local key)' }) })),
}), { id: 'ApiKeyList', description: 'Never the key or its hash' }));
export const ApiKeyParams = z.lazy(() => z.strict(z.object({ id: z.string().check(z.regex(/^[0-9a-z]{8,40}$/)) })));
