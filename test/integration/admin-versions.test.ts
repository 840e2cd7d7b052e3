import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planImport, applyImport, readCity } from '#infra/cli/city-sync';
import { writeCityFolder, readCityFolder } from '#infra/cli/city-folder';
import { loadDemoCity } from '#infra/local/seed';
import { auditKeyOf } from '#shared/adapters/audit-key';
import { createAuditLog, type TableAuditLog } from '#shared/data/audit-store';
import { categoryModel } from '#shared/data/entities/reference';
import { toStored } from '#shared/data/model';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { actorOf, CLI_ACTOR } from '#shared/domain/audit/chain';
import { PreconditionFailedError } from '#shared/domain/errors';
import { putCalendarYear, upsertCategory, upsertDepartment, upsertGrid, type ReferenceDeps } from '#shared/domain/reference/use-cases';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let deps: ReferenceDeps;
let store: ReturnType<typeof createReferenceStore>;
let log: TableAuditLog;
const city = loadDemoCity();
const zhang = actorOf({ userId: randomUUID(), displayName: '张三' });
const li = actorOf({ userId: randomUUID(), displayName: '李四' });
const square = (lng: number, lat: number) => ({ type: 'Polygon' as const, coordinates: [[[lng, lat], [lng + 0.01, lat], [lng + 0.01, lat + 0.01], [lng, lat + 0.01], [lng, lat]]] });

beforeAll(async () => {
  table = await createTestTable();
  store = createReferenceStore(table.db);
  await store.importAll(city);
  log = createAuditLog(table.db, async () => auditKeyOf('a-test-audit-secret-of-at-least-32-characters'));
  deps = { store, cache: createReferenceCache(store), audit: log };
});
afterAll(async () => table.drop());

/** Two admins write with the same If-Match at once: one 2xx, one 412 naming the winner. */
async function race<T>(write: (actor: typeof zhang, n: number) => Promise<T>) {
  const results = await Promise.allSettled([write(zhang, 1), write(li, 2)]);
  const won = results.filter((r) => r.status === 'fulfilled') as Array<PromiseFulfilledResult<T>>;
  const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  expect(lost[0]!.reason).toBeInstanceOf(PreconditionFailedError);
  const winner = results[0]!.status === 'fulfilled' ? zhang : li;
  return { value: won[0]!.value, error: lost[0]!.reason as PreconditionFailedError, winner };
}

const entries = async () => {
  let n = 0;
  for await (const _ of log.entries()) n++;
  return n;
};

describe('If-Match on the admin writes (two admins at once)', () => {
  it('categories: versions count writes; a stale If-Match is refused with who and when; two racing writes give one success', async () => {
    const base = city.categories[0]!;
    const { code, ...body } = base;
    const first = await upsertCategory(deps, code, { ...body, name: `${body.name}一` }, zhang);
    expect(first.version).toBe(2); // 1 from the import that loaded the city, +1
    const listed = (await store.listCategories()).find((c) => c.code === code)!;
    expect(listed.version).toBe(first.version);
    expect(listed.updatedBy).toEqual({ id: zhang.actorId, displayName: '张三' });
    const before = await entries();
    const { value, error, winner } = await race((actor, n) => upsertCategory(deps, code, { ...body, timeLimit: { workingHours: 7 * n } }, actor, { ifMatch: first.version }));
    expect(value.version).toBe(first.version + 1);
    expect(error.current).toMatchObject({ currentVersion: first.version + 1, updatedBy: { id: winner.actorId, displayName: winner.actorName } });
    expect(error.current.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(error.messageId).toBe('admin.stale-version');
    expect(await entries()).toBe(before + 1); // the refused write appended nothing
    // Without If-Match: last writer wins, as before, and the version still counts it.
    const blind = await upsertCategory(deps, code, body, li);
    expect(blind.version).toBe(first.version + 2);
  });

  it('grids', async () => {
    const grid = { ...city.grids[0]!, id: `v-grid-${Date.now()}`, name: '版本网格', geometry: square(112.9, 26.9) };
    const created = await upsertGrid(deps, grid, zhang);
    expect(created.version).toBe(1);
    const { value, error } = await race((actor, n) => upsertGrid(deps, { ...grid, name: `版本网格${n}` }, actor, { ifMatch: 1 }));
    expect(value.version).toBe(2);
    expect(error.current.currentVersion).toBe(2);
    await expect(upsertGrid(deps, grid, zhang, { ifMatch: 1 })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await store.listGrids()).find((g) => g.id === grid.id)?.version).toBe(2);
  });

  it('calendar years (a year never stored is version 0)', async () => {
    const year = { holidays: ['2031-01-01'], workdays: [] as string[] };
    const { value, error } = await race((actor, n) => putCalendarYear(deps, 2031, { ...year, holidays: n === 1 ? ['2031-01-01'] : ['2031-01-01', '2031-05-01'] }, actor, { ifMatch: 0 }));
    expect(value.version).toBe(1);
    expect(error.current.currentVersion).toBe(1);
    const next = await putCalendarYear(deps, 2031, year, li, { ifMatch: 1 });
    expect(next.version).toBe(2);
  });

  it('departments (the If-Match check sits beside the tree check)', async () => {
    const body = { name: '版本中队', parentId: 'yanfeng-district-bureau', type: 'street-brigade' as const, gridIds: [] as string[] };
    const created = await upsertDepartment(deps, 'v-brigade', body, zhang);
    expect(created.version).toBe(1);
    const { value, error } = await race((actor, n) => upsertDepartment(deps, 'v-brigade', { ...body, name: `版本中队${n}` }, actor, { ifMatch: 1 }));
    expect(value.version).toBe(2);
    expect(error.current).toMatchObject({ currentVersion: 2 });
    const listed = (await store.listDepartments()).find((d) => d.id === 'v-brigade')!;
    expect(listed.version).toBe(2);
  });

  it('an item stored before versions reads as version 0 and takes If-Match "0"', async () => {
    const legacy = { ...city.categories[1]!, code: 'LEGACY01' };
    const { timeLimit, ...rest } = legacy;
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: toStored(categoryModel, { ...rest, workingHours: timeLimit.workingHours, updatedAt: '2026-01-01T00:00:00.000Z' }) }));
    expect((await store.listCategories()).find((c) => c.code === 'LEGACY01')?.version).toBe(0);
    const { code: _c, ...body } = legacy;
    await expect(upsertCategory(deps, 'LEGACY01', body, zhang, { ifMatch: 1 })).rejects.toMatchObject({ current: { currentVersion: 0 }, messageId: 'admin.stale-version-unknown' });
    expect((await upsertCategory(deps, 'LEGACY01', body, zhang, { ifMatch: 0 })).version).toBe(1);
  });
});

describe('the city CLI and versions', () => {
  it('an export carries no version; importing it back changes nothing; an import bumps the versions of what it changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'city-versions-'));
    try {
      const exported = await readCity(store);
      writeCityFolder(dir, exported);
      const folder = readCityFolder(dir);
      expect(JSON.stringify(folder)).not.toMatch(/"version"|"updatedBy"|"updatedAt"/);
      const plan = await planImport(store, folder);
      expect([...plan.categories, ...plan.grids, ...plan.departments, ...plan.calendar]).toEqual([]);
      // One category changed in the folder: only it is written, its version +1, one entry for the kind.
      const target = folder.categories.find((c) => c.code === city.categories[2]!.code)!;
      const was = (await store.listCategories()).find((c) => c.code === target.code)!.version;
      target.name = `${target.name}（改）`;
      const changed = await planImport(store, folder);
      expect(changed.categories).toEqual([{ id: target.code, change: 'update' }]);
      const before = await entries();
      await applyImport(store, changed, { log, actor: CLI_ACTOR, kind: 'city.import' });
      expect(await entries()).toBe(before + 1);
      const after = (await store.listCategories()).find((c) => c.code === target.code)!;
      expect(after).toMatchObject({ version: was + 1, name: target.name, updatedBy: { id: CLI_ACTOR.actorId } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
