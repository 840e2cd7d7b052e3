import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCity } from '#infra/local/seed';
import { createCaseStore } from '#shared/data/case-store';
import { createIdentityStore } from '#shared/data/identity-store';
import { createApiKeyStore, createOpen311Reader, monthsBetween } from '#shared/data/open311-store';
import { createPhotoStore } from '#shared/data/photo-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { DEFAULT_CALENDAR } from '#shared/domain/calendar';
import type { CaseDeps } from '#shared/domain/cases/deps';
import { newReportedCase, type Case } from '#shared/domain/cases/model';
import { ForbiddenError, RateLimitedError } from '#shared/domain/errors';
import { authenticateClient, createApiKey, revokeApiKey } from '#shared/domain/open311/api-keys';
import { authorizeRead, authorizeWrite, listRequests, submitRequest, type Open311Deps } from '#shared/domain/open311/use-cases';
import { ServiceRequestForm } from '#shared/schemas/open311';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let deps: Open311Deps;
let clock = new Date('2026-05-20T02:00:00Z');

beforeAll(async () => {
  table = await createTestTable();
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  const cases: CaseDeps = {
    store: createCaseStore(table.db),
    reference: createReferenceCache(reference),
    users: createIdentityStore(table.db),
    photos: { store: createPhotoStore(table.db) },
    now: () => clock,
    newId: () => randomUUID(),
  };
  deps = {
    cases,
    reader: createOpen311Reader(table.db),
    keys: createApiKeyStore(table.db),
    settings: { publicReads: true, publicPhotos: false, ratePerMinute: 3, addressRatePerMinute: 4, discovery: { changeset: 'x', contact: 'x', keyService: 'x', type: 'test' } },
    photoUrl: async (key) => `https://photos.example/${key}`,
    now: () => clock,
  };
});
afterAll(async () => table.drop());

/** A filed case reported at `createdAt` (written as the case store writes every case). */
async function filedCase(createdAt: string, number: number, status: Case['status'] = 'filed', categoryCode = 'E0503') {
  const { case: c, event } = newReportedCase({ id: randomUUID(), channel: 'app', description: '测试', location: { lat: 26.879, lng: 112.613 }, categoryCode, categoryName: 'x' }, new Date(createdAt), { id: 'u', role: 'citizen', displayName: 'u' });
  const filed: Case = { ...c, status, caseNumber: `2026-${String(number).padStart(6, '0')}` };
  await deps.cases.store.createCase({ case: filed, event, counters: [] });
  return filed;
}

describe('cases by the time they were reported (gsi6)', () => {
  it('covers a window with its UTC months, newest first', () => {
    expect(monthsBetween(new Date('2026-02-20T00:00:00Z'), new Date('2026-05-01T00:00:00Z'))).toEqual(['2026-05', '2026-04', '2026-03', '2026-02']);
    expect(monthsBetween(new Date('2025-12-31T23:00:00Z'), new Date('2026-01-01T01:00:00Z'))).toEqual(['2026-01', '2025-12']);
  });

  it('reads a window across months, newest first, bounds included, nothing outside it', async () => {
    const made = await Promise.all([
      filedCase('2026-02-28T23:59:59.000Z', 101),
      filedCase('2026-03-01T00:00:00.000Z', 102),
      filedCase('2026-04-15T08:00:00.000Z', 103, 'closed'),
      filedCase('2026-05-10T08:00:00.000Z', 104, 'filed', 'C0101'),
      filedCase('2026-05-31T08:00:00.000Z', 105),
    ]);
    const seen: string[] = [];
    for await (const page of deps.reader.reportedBetween(new Date('2026-03-01T00:00:00Z'), new Date('2026-05-10T08:00:00Z'))) seen.push(...page.map((c) => c.caseNumber!));
    expect(seen).toEqual(['2026-000104', '2026-000103', '2026-000102']);
    expect((await deps.reader.caseByNumber('2026-000101'))?.id).toBe(made[0].id);
    expect(await deps.reader.caseByNumber('2026-000999')).toBeUndefined();
    expect(await deps.reader.caseByNumber('not-a-number')).toBeUndefined();
  });

  it('reads the whole second an end names: a client paging back by a listed requested_datetime misses nothing', async () => {
    // requested_datetime has whole seconds; two cases reported within one second, 03:44:00.300 and .700.
    await Promise.all([filedCase('2026-05-12T03:44:00.300Z', 201), filedCase('2026-05-12T03:44:00.700Z', 202), filedCase('2026-05-12T03:44:01.000Z', 203)]);
    const seen: string[] = [];
    for await (const page of deps.reader.reportedBetween(new Date('2026-05-12T03:00:00Z'), new Date('2026-05-12T03:44:00Z'))) seen.push(...page.map((c) => c.caseNumber!));
    expect(seen).toEqual(['2026-000202', '2026-000201']);
  });

  it('lists with the standard\'s filters (service_code, status) inside the window', async () => {
    clock = new Date('2026-05-20T02:00:00Z');
    const numbers = async (filters: Parameters<typeof listRequests>[1]) =>
      ((await listRequests(deps, filters)).body as Array<{ service_request_id: string }>).map((r) => r.service_request_id).filter((n) => n.startsWith('2026-0001'));
    expect(await numbers({})).toEqual(['2026-000104', '2026-000103', '2026-000102', '2026-000101']);
    expect(await numbers({ status: ['closed'] })).toEqual(['2026-000103']);
    expect(await numbers({ service_code: ['C0101'] })).toEqual(['2026-000104']);
    expect(await numbers({ start_date: new Date('2026-04-01T00:00:00Z'), end_date: new Date('2026-04-30T00:00:00Z') })).toEqual(['2026-000103']);
    expect(await numbers({ service_request_id: ['2026-000105', '2026-000101'] })).toEqual(['2026-000105', '2026-000101']);
  });
});

describe('API keys on the table', () => {
  it('authenticates a created key, counts it per minute (429 with the seconds left) and forgets a revoked one', async () => {
    clock = new Date('2026-05-20T02:00:15Z');
    const { id, key } = await createApiKey(deps.keys, '测试客户端', 'admin-1', clock);
    const stored = await deps.keys.get(id);
    expect(JSON.stringify(stored)).not.toContain(key.split('_')[2]);
    for (let i = 0; i < 3; i++) expect(await authenticateClient(deps.keys, key, { now: clock, ratePerMinute: 3 })).toEqual({ keyId: id, name: '测试客户端' });
    const refused = await authenticateClient(deps.keys, key, { now: clock, ratePerMinute: 3 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(45);
    // The next minute is a new window.
    expect((await authenticateClient(deps.keys, key, { now: new Date('2026-05-20T02:01:00Z'), ratePerMinute: 3 })).keyId).toBe(id);
    await revokeApiKey(deps.keys, id);
    await expect(authenticateClient(deps.keys, key, { now: clock, ratePerMinute: 3 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authenticateClient(deps.keys, key.replace(/.$/, (c) => (c === '0' ? '1' : '0')), { now: clock, ratePerMinute: 3 })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets anyone read while reads are public, and asks for a key when they are switched off', async () => {
    expect(await authorizeRead(deps, undefined, '203.0.113.1')).toBeUndefined();
    const closed = { ...deps, settings: { ...deps.settings, publicReads: false } };
    await expect(authorizeRead(closed, undefined, '203.0.113.1')).rejects.toBeInstanceOf(ForbiddenError);
    const { key } = await createApiKey(deps.keys, 'reader', 'admin-1', new Date());
    clock = new Date('2026-05-20T03:00:00Z');
    expect((await authorizeRead(closed, key, '203.0.113.1'))?.name).toBe('reader');
  });

  it('counts reads without a key per source address and minute: over the limit 429 with the seconds left', async () => {
    clock = new Date('2026-05-20T05:00:20Z');
    for (let i = 0; i < 4; i++) expect(await authorizeRead(deps, undefined, '198.51.100.7')).toBeUndefined();
    const refused = await authorizeRead(deps, undefined, '198.51.100.7').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(40);
    // Another address has its own count; the next minute is a new window.
    expect(await authorizeRead(deps, undefined, '198.51.100.8')).toBeUndefined();
    clock = new Date('2026-05-20T05:01:00Z');
    expect(await authorizeRead(deps, undefined, '198.51.100.7')).toBeUndefined();
  });

  it('creates one case for two concurrent submissions with the same Idempotency-Key', async () => {
    clock = new Date('2026-05-20T04:00:00Z');
    const { key } = await createApiKey(deps.keys, 'retrying client', 'admin-1', clock);
    const client = await authorizeWrite(deps, key);
    const form = ServiceRequestForm.parse({ service_code: 'E0503', address_string: '当家路12号', description: '晾衣' });
    const [a, b] = await Promise.all([submitRequest(deps, client, form, 'same-key'), submitRequest(deps, client, form, 'same-key')]);
    const tokenOf = (d: Awaited<ReturnType<typeof submitRequest>>) => (d.body as Array<{ token: string }>)[0]!.token;
    expect(tokenOf(a)).toBe(tokenOf(b));
    const c = await deps.reader.getCase(tokenOf(a));
    expect(c).toMatchObject({ channel: 'open311', status: 'reported', address: '当家路12号', submission: { client: { name: 'retrying client' } } });
    expect(c?.location).toBeUndefined();
  });
});
