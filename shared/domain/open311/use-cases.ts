/**
 * Open311 GeoReport v2 use cases: the standard's six methods over the city's categories and cases.
 * Requests are created by THE report use case (`reportCase`), like every other channel's.
 */
import { reportCase, type ClientReporter } from '#shared/domain/cases/report';
import type { CaseDeps } from '#shared/domain/cases/deps';
import type { Case } from '#shared/domain/cases/model';
import { NotFoundError, RateLimitedError, ValidationError } from '#shared/domain/errors';
import { normalizePhone } from '#shared/domain/phone';
import type { Category } from '#shared/domain/reference/category';
import type { RequestListFilters, ServiceRequestInput } from '#shared/schemas/open311';
import { authenticateClient, type ApiClient, type ApiKeyStore } from './api-keys.ts';
import {
  discovery,
  isPublic,
  OPEN311_STATUS,
  requestsDocument,
  requestView,
  serviceDefinition,
  serviceList,
  serviceNotice,
  type DiscoveryFacts,
  type Open311Document,
} from './georeport.ts';

/** Reads of cases for the public lists (no Scan: by id, by number, by the month they were reported). */
export interface Open311CaseReader {
  getCase(id: string): Promise<Case | undefined>;
  caseByNumber(caseNumber: string): Promise<Case | undefined>;
  /** Cases reported in [from, to] (`to` to the end of its second), newest first, in pages (the caller stops when it has enough). */
  reportedBetween(from: Date, to: Date): AsyncIterable<Case[]>;
}

export interface Open311Settings {
  /** Reads without an api_key (the standard's default); off → every call needs a key. */
  publicReads: boolean;
  /** `media_url` of a filed case's first cleaned photo; off by default. */
  publicPhotos: boolean;
  ratePerMinute: number;
  /** Reads without a key, per source address and minute. */
  addressRatePerMinute: number;
  discovery: Omit<DiscoveryFacts, 'url'>;
}

export interface Open311Deps {
  cases: CaseDeps;
  reader: Open311CaseReader;
  keys: ApiKeyStore;
  settings: Open311Settings;
  /** A signed URL of a photo's cleaned copy (only called when public photos are on). */
  photoUrl(photoKey: string): Promise<string>;
  now: () => Date;
}

/** The standard: a window of at most 90 days, the most recent 90 by default, the first 1,000 requests. */
export const LIST_WINDOW_DAYS = 90;
export const LIST_LIMIT = 1000;
const DAY_MS = 86_400_000;

/**
 * The client behind a read's `api_key`: none needed while reads are public (a key that is given must
 * still be valid, and counts against its limit); otherwise 403 without one. A read without a key counts
 * against its source address's limit (the same per-minute counter items as keys), then 429.
 */
export async function authorizeRead(deps: Open311Deps, apiKey: string | undefined, sourceAddress: string): Promise<ApiClient | undefined> {
  if (deps.settings.publicReads && apiKey === undefined) {
    const nowSeconds = Math.floor(deps.now().getTime() / 1000);
    const minute = nowSeconds - (nowSeconds % 60);
    const limit = deps.settings.addressRatePerMinute;
    if (!(await deps.keys.countRequest(`address:${sourceAddress || 'unknown'}`, minute, limit))) {
      throw new RateLimitedError(`At most ${limit} reads a minute without an api_key from one address`, minute + 60 - nowSeconds);
    }
    return undefined;
  }
  return authenticateClient(deps.keys, apiKey, { now: deps.now(), ratePerMinute: deps.settings.ratePerMinute });
}

/** The client behind a write's `api_key` (403 without a valid one, 429 over its rate), checked before the form. */
export const authorizeWrite = (deps: Open311Deps, apiKey: string | undefined): Promise<ApiClient> =>
  authenticateClient(deps.keys, apiKey, { now: deps.now(), ratePerMinute: deps.settings.ratePerMinute });

export const getDiscovery = (deps: Open311Deps, url: string): Open311Document => discovery({ ...deps.settings.discovery, url });

export async function getServices(deps: Open311Deps): Promise<Open311Document> {
  return serviceList((await deps.cases.reference.categories()).values());
}

export async function getServiceDefinition(deps: Open311Deps, code: string): Promise<Open311Document> {
  return serviceDefinition(await categoryOrNotFound(deps, code));
}

async function categoryOrNotFound(deps: Open311Deps, code: string): Promise<Category> {
  const category = (await deps.cases.reference.categories()).get(code);
  if (!category) throw new NotFoundError(`service_code ${code} was not found`);
  return category;
}

/**
 * `POST /requests` — a client's report becomes a `reported` case (channel `open311`).
 * 1. The client's api_key was checked first ({@link authorizeWrite}); check the service_code (404).
 * 2. Report through THE report use case: idempotent per key and Idempotency-Key, the key's name on the
 *    timeline, what the client passed about its user kept for staff only.
 * 3. Answer the case's token: the service_request_id (case number) comes when the case is filed.
 */
export async function submitRequest(deps: Open311Deps, client: ApiClient, form: ServiceRequestInput, idempotencyKey: string | undefined): Promise<Open311Document> {
  const category = await categoryOrNotFound(deps, form.service_code);
  const reporter: ClientReporter = { kind: 'client', channel: 'open311', keyId: client.keyId, name: client.name };
  const phone = form.phone ? normalizePhone(form.phone) : undefined;
  const submission = {
    client: { keyId: client.keyId, name: client.name },
    ...(form.account_id ? { accountId: form.account_id } : {}),
    ...(form.device_id ? { deviceId: form.device_id } : {}),
    ...(form.email ? { email: form.email } : {}),
    ...(form.first_name ? { firstName: form.first_name } : {}),
    ...(form.last_name ? { lastName: form.last_name } : {}),
    ...(phone ? { phone } : {}),
    ...(form.media_url ? { mediaUrl: form.media_url } : {}),
    ...(form.attribute ? { attributes: form.attribute } : {}),
  };
  const created = await reportCase(
    deps.cases,
    reporter,
    {
      description: form.description ?? category.name,
      ...(form.lat !== undefined && form.long !== undefined ? { location: { lat: form.lat, lng: form.long, coordSystem: 'WGS84' as const } } : {}),
      ...(form.address_string ? { address: form.address_string } : {}),
      categoryCode: category.code,
      submission,
    },
    idempotencyKey,
  );
  return requestsDocument([{ token: created.id, service_notice: serviceNotice(category), account_id: form.account_id ?? null }]);
}

/** `GET /tokens/{token}`: the request's number once the case is filed (404 for an unknown token). */
export async function getToken(deps: Open311Deps, token: string): Promise<Open311Document> {
  const c = /^[0-9a-f-]{36}$/.test(token) ? await deps.reader.getCase(token) : undefined;
  if (!c || c.channel !== 'open311') throw new NotFoundError(`token ${token} was not found`);
  return requestsDocument([{ ...(c.caseNumber ? { service_request_id: c.caseNumber } : {}), token: c.id }]);
}

/** `GET /requests/{id}`: one filed case by its number. */
export async function getRequest(deps: Open311Deps, caseNumber: string): Promise<Open311Document> {
  const c = await deps.reader.caseByNumber(caseNumber);
  if (!c || !isPublic(c)) throw new NotFoundError(`service_request_id ${caseNumber} was not found`);
  return requestsDocument([await publicView(deps, c)]);
}

/**
 * `GET /requests` — filed cases by the time they were reported, newest first.
 * 1. `service_request_id` (a list) overrides every other filter.
 * 2. Otherwise a window of at most 90 days (the most recent 90 days by default; with only one end
 *    given, the 90 days from or up to it), read month by month from the reported-by-date index.
 * 3. Filter by service code and open/closed; stop at 1,000.
 */
export async function listRequests(deps: Open311Deps, filters: RequestListFilters): Promise<Open311Document> {
  if (filters.service_request_id) {
    const found = await Promise.all(filters.service_request_id.map((n) => deps.reader.caseByNumber(n)));
    const cases = found.filter((c): c is Case & { caseNumber: string } => Boolean(c && isPublic(c)));
    return requestsDocument(await Promise.all(cases.map((c) => publicView(deps, c))));
  }
  const { from, to } = listWindow(filters, deps.now());
  const codes = filters.service_code ? new Set(filters.service_code) : undefined;
  const statuses = filters.status ? new Set(filters.status) : undefined;
  const picked: Array<Case & { caseNumber: string }> = [];
  for await (const page of deps.reader.reportedBetween(from, to)) {
    for (const c of page) {
      if (!isPublic(c)) continue;
      if (codes && !(c.categoryCode && codes.has(c.categoryCode))) continue;
      if (statuses && !statuses.has(OPEN311_STATUS[c.status])) continue;
      picked.push(c);
      if (picked.length === LIST_LIMIT) break;
    }
    if (picked.length === LIST_LIMIT) break;
  }
  return requestsDocument(await Promise.all(picked.map((c) => publicView(deps, c))));
}

/** The list's window: both ends given (≤ 90 days apart), one end (90 days from/to it), or the last 90 days. */
export function listWindow(filters: Pick<RequestListFilters, 'start_date' | 'end_date'>, now: Date): { from: Date; to: Date } {
  const span = LIST_WINDOW_DAYS * DAY_MS;
  const to = filters.end_date ?? (filters.start_date ? new Date(Math.min(filters.start_date.getTime() + span, now.getTime())) : now);
  const from = filters.start_date ?? new Date(to.getTime() - span);
  if (from.getTime() > to.getTime()) throw new ValidationError('start_date is after end_date', [{ path: 'query.start_date', message: 'start_date must not be after end_date' }]);
  if (to.getTime() - from.getTime() > span) {
    throw new ValidationError('The date range may not span more than 90 days', [{ path: 'query.end_date', message: 'end_date - start_date must be at most 90 days' }]);
  }
  return { from, to };
}

async function publicView(deps: Open311Deps, c: Case & { caseNumber: string }) {
  const categories = await deps.cases.reference.categories();
  const photo = deps.settings.publicPhotos ? c.beforePhotoKeys[0] : undefined;
  return requestView(c, {
    serviceNotice: serviceNotice(c.categoryCode ? categories.get(c.categoryCode) : undefined),
    ...(photo ? { mediaUrl: await deps.photoUrl(photo) } : {}),
  });
}
