import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustLine, verifyAudit } from '#infra/cli/commands';
import { loadDemoCity } from '#infra/local/seed';
import { auditKeyOf } from '#shared/adapters/audit-key';
import { createAuditLog, type TableAuditLog } from '#shared/data/audit-store';
import { dynamoRoundTrips } from '#shared/data/client';
import { auditEntryModel } from '#shared/data/entities/audit';
import { createIdentityStore } from '#shared/data/identity-store';
import { primaryKey } from '#shared/data/model';
import { createApiKeyStore } from '#shared/data/open311-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { actorOf, verifyChain, type AuditEntry } from '#shared/domain/audit/chain';
import { auditView } from '#shared/domain/audit/use-cases';
import type { User } from '#shared/domain/identity/model';
import { updateStaff } from '#shared/domain/identity/directory';
import { importStaff } from '#shared/domain/identity/staff-batch';
import { createStaff } from '#shared/domain/identity/use-cases';
import { createApiKey, revokeApiKey } from '#shared/domain/open311/api-keys';
import { importGrids, putCalendarYear, upsertCategory, upsertDepartment, upsertGrid, type ReferenceDeps } from '#shared/domain/reference/use-cases';
import { parseStaffRows } from '#shared/http/staff-rows';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let log: TableAuditLog;
let reference: ReferenceDeps;
let users: ReturnType<typeof createIdentityStore>;
const key = auditKeyOf('a-test-audit-secret-of-at-least-32-characters');
const admin: User = { id: randomUUID(), phone: '+8613900030001', displayName: '管理员 审计', roles: ['admin'], departmentId: 'city-bureau', status: 'active', createdAt: new Date().toISOString() };
const actor = actorOf({ userId: admin.id, displayName: admin.displayName });
const city = loadDemoCity();
const category = city.categories[0]!;
const { code: _code, ...categoryBody } = category;
const all = async () => {
  const entries: AuditEntry[] = [];
  for await (const e of log.entries()) entries.push(e);
  return entries;
};
const square = (lng: number, lat: number) => ({ type: 'Polygon' as const, coordinates: [[[lng, lat], [lng + 0.01, lat], [lng + 0.01, lat + 0.01], [lng, lat + 0.01], [lng, lat]]] });

beforeAll(async () => {
  table = await createTestTable();
  const store = createReferenceStore(table.db);
  await store.importAll(city);
  reference = { store, cache: createReferenceCache(store), audit: undefined };
  users = createIdentityStore(table.db);
  await users.createUser(admin);
  log = createAuditLog(table.db, async () => key);
  reference.audit = log;
});
afterAll(async () => table.drop());

describe('the audit record (操作日志)', () => {
  it('every administrative write appends exactly one entry, in order, with before and after', async () => {
    const directory = { store: users, departments: () => reference.cache.departments(), grids: () => reference.cache.grids(), audit: log };
    const seq = async () => (await log.head())?.seq ?? 0;
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['category.put', () => upsertCategory(reference, category.code, { ...categoryBody, timeLimit: { ...category.timeLimit, workingHours: category.timeLimit.workingHours + 8 } }, actor)],
      ['grid.put', () => upsertGrid(reference, { id: 'audit-grid', name: '审计网格', community: '审计社区', street: '审计街道', district: '审计区', geometry: square(112.4, 26.6) }, actor)],
      ['grid.batch', () => importGrids(reference, [{ id: 'audit-grid-2', name: '审计网格二', community: '审计社区', street: '审计街道', district: '审计区', geometry: square(112.42, 26.6) }], { dryRun: false }, actor)],
      ['calendar.put', () => putCalendarYear(reference, 2031, { holidays: ['2031-01-01'], workdays: [] }, actor)],
      ['department.put', () => upsertDepartment(reference, 'audit-brigade', { name: '审计大队', parentId: 'yanfeng-district-bureau', type: 'street-brigade', gridIds: [] }, actor)],
      ['staff.create', () => createStaff({ store: users, now: () => new Date(), newId: () => randomUUID(), audit: log }, { phone: '+8613900030002', displayName: '处置 审计', roles: ['handler'], departmentId: 'yanfeng-street-brigade' }, { userId: admin.id, roles: ['admin'], displayName: admin.displayName })],
      ['staff.update', async () => updateStaff(directory, (await users.findUserByPhone('+8613900030002'))!.id, { displayName: '处置 审计改' }, actor)],
      ['staff.batch', () => importStaff({ ...directory, now: () => new Date(), newId: () => randomUUID() }, parseStaffRows([{ phone: '+8613900030003', displayName: '处置 批审', roles: ['handler'], departmentId: 'yanfeng-street-brigade' }], 'en'), { dryRun: false, actor })],
      ['api-key.create', () => createApiKey(createApiKeyStore(table.db), '审计接入方', admin.id, new Date(), { log, actor })],
    ];
    for (const [kind, step] of steps) {
      const before = await seq();
      await step();
      expect(await seq(), kind).toBe(before + 1);
      const [latest] = (await log.list({}, { limit: 1 })).items;
      expect(latest, kind).toMatchObject({ kind, actorId: admin.id, actorName: admin.displayName, seq: before + 1 });
    }
    const keyId = (await log.list({ kind: 'api-key.create' }, { limit: 1 })).items[0]!.target;
    await revokeApiKey(createApiKeyStore(table.db), keyId, { log, actor });
    const entries = await all();
    expect(entries.map((e) => e.kind)).toEqual([...steps.map(([k]) => k), 'api-key.revoke']);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const changed = entries[0]!;
    expect((changed.before as { timeLimit: { workingHours: number } }).timeLimit.workingHours).toBe(category.timeLimit.workingHours);
    expect((changed.after as { timeLimit: { workingHours: number } }).timeLimit.workingHours).toBe(category.timeLimit.workingHours + 8);
    // API key entries hold neither the key nor its hash.
    for (const e of entries.filter((x) => x.kind.startsWith('api-key'))) expect(Object.keys((e.after ?? e.before) as object).sort()).toEqual(['createdBy', 'id', 'name']);
    expect(verifyChain(key, entries, await log.head()).broken).toBeUndefined();
    // Filters: by kind, by actor, by time.
    expect((await log.list({ kind: 'staff.update' }, { limit: 10 })).items.map((e) => e.target)).toHaveLength(1);
    expect((await log.list({ actorId: 'someone-else' }, { limit: 10 })).items).toEqual([]);
    expect((await log.list({ from: new Date(Date.now() + 60_000).toISOString() }, { limit: 10 })).items).toEqual([]);
  });

  it('the leader\'s view has no phone numbers', async () => {
    const created = (await log.list({ kind: 'staff.create' }, { limit: 1 })).items[0]!;
    expect(JSON.stringify(created.after)).toContain('+8613900030002');
    const leader = auditView(created, { roles: ['leader'] });
    expect(JSON.stringify(leader)).not.toContain('+86');
    expect(leader.after).toMatchObject({ displayName: '处置 审计', roles: ['handler'] });
  });

  it('concurrent admin writes still give one unbroken chain', async () => {
    const before = (await log.head())!.seq;
    await Promise.all(Array.from({ length: 12 }, (_, i): Promise<unknown> => putCalendarYear(reference, 2040 + i, { holidays: [`${2040 + i}-01-01`], workdays: [] }, actor)).concat(
      Array.from({ length: 6 }, (_, i) => upsertCategory(reference, category.code, { ...categoryBody, timeLimit: { ...category.timeLimit, workingHours: 10 + i } }, actor)),
    ));
    const entries = await all();
    expect(entries.length).toBe(before + 18);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(verifyChain(key, entries, await log.head()).broken).toBeUndefined();
  });

  it('the audit adds one DynamoDB round trip to an admin write (the head read with the item it replaces)', async () => {
    const plain: ReferenceDeps = { ...reference, audit: undefined };
    const count = async (deps: ReferenceDeps, hours: number) => {
      const start = dynamoRoundTrips();
      await upsertCategory(deps, category.code, { ...categoryBody, timeLimit: { ...category.timeLimit, workingHours: hours } }, actor);
      return dynamoRoundTrips() - start;
    };
    await count(plain, 30); // warm: the department cache
    const without = await count(plain, 31);
    const withAudit = await count(reference, 32);
    expect(withAudit - without).toBeLessThanOrEqual(1);
  });

  it('an entry changed directly in DynamoDB: audit verify names it; an erased phone still verifies', async () => {
    const lines: string[] = [];
    expect(await verifyAudit(log, (l) => lines.push(l))).toBe(true);
    expect(lines[0]).toMatch(/^Verified \d+ entries: the chain is unbroken; the latest hash \(seq \d+\) is [0-9a-f]{64}\.$/);

    // PIPL: the phone erased from the staff entry; the chain still verifies with the stored digest.
    const created = (await log.list({ kind: 'staff.create' }, { limit: 1 })).items[0]!;
    expect(await log.erasePhones(created.seq)).toBe(true);
    const erased = (await all()).find((e) => e.seq === created.seq)!;
    expect(JSON.stringify(erased)).not.toContain('+8613900030002');
    expect(erased.erased).toBe(true);
    expect(await verifyAudit(log, () => {})).toBe(true);

    // Someone with write access to the table raises a category's limit in its entry.
    const target = (await log.list({ kind: 'category.put' }, { limit: 100 })).items[3]!;
    const after = { ...(target.after as object), timeLimit: { workingHours: 999 } };
    await table.client.send(new UpdateCommand({ TableName: table.tableName, Key: primaryKey(auditEntryModel, { chain: 'admin', seq: target.seq }), UpdateExpression: 'SET #a = :a', ExpressionAttributeNames: { '#a': 'after' }, ExpressionAttributeValues: { ':a': JSON.stringify(after) } }));
    const report: string[] = [];
    expect(await verifyAudit(log, (l) => report.push(l))).toBe(false);
    expect(report[0]).toBe(`Entry ${target.seq} does not match: its content does not match its digest.`);
    expect(report[1]).toContain(`category.put ${category.code}`);
    expect(report[2]).toBe(`  Entries 1–${target.seq - 1} verify; nothing from entry ${target.seq} on can be trusted.`);
    console.log(['$ npm run city -- audit verify   (after one entry was changed in DynamoDB)', ...report].join('\n'));

    // …and recomputing the digest does not help without the key: the hash then fails.
    await table.client.send(new UpdateCommand({ TableName: table.tableName, Key: primaryKey(auditEntryModel, { chain: 'admin', seq: target.seq }), UpdateExpression: 'SET #d = :d', ExpressionAttributeNames: { '#d': 'digest' }, ExpressionAttributeValues: { ':d': (await import('#shared/domain/audit/chain')).digestOf({ ...target, after }) } }));
    const again: string[] = [];
    expect(await verifyAudit(log, (l) => again.push(l))).toBe(false);
    expect(again[0]).toBe(`Entry ${target.seq} does not match: its hash is not HMAC(key, prevHash ‖ digest).`);
  });
});

describe('what audit verify says can still be trusted', () => {
  it('names the entries before the first that does not match, in good grammar', () => {
    expect(trustLine(1)).toBe('No entry can be trusted.');
    expect(trustLine(2)).toBe('Entry 1 verifies; nothing from entry 2 on can be trusted.');
    expect(trustLine(7)).toBe('Entries 1–6 verify; nothing from entry 7 on can be trusted.');
  });
});
