import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { ValidationError } from '#shared/domain/errors';
import { DepartmentTree } from '#shared/domain/reference/departments';
import { upsertDepartment, type ReferenceDeps } from '#shared/domain/reference/use-cases';
import { loadDemoCity } from '#infra/local/seed';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => {
  table = await createTestTable();
  await createReferenceStore(table.db).importAll(loadDemoCity());
});
afterAll(async () => table.drop());

describe('reference data on DynamoDB Local', () => {
  it('reads back the demo city (all pages) as it was imported', async () => {
    const store = createReferenceStore(table.db);
    const city = loadDemoCity();
    expect((await store.listDepartments()).map((d) => d.id).sort()).toEqual(city.departments.map((d) => d.id).sort());
    expect(await store.listCategories()).toHaveLength(city.categories.length);
    const grids = await store.listGrids();
    expect(grids.find((g) => g.id === 'yanfeng-dangjiacun')?.geometry).toEqual(city.grids.find((g) => g.id === 'yanfeng-dangjiacun')?.geometry);
  });

  it('serves the cached index until the grids version moves, then rebuilds it', async () => {
    const store = createReferenceStore(table.db);
    const cache = createReferenceCache(store);
    const first = await cache.grids();
    expect(await cache.grids()).toBe(first); // same version → same index object, no reload
    expect(first.locate(26.879, 112.613)?.id).toBe('yanfeng-dangjiacun');

    // Another container (a second store and cache on the same table) moves 当家村社区 far away.
    const dangjia = (await store.listGrids()).find((g) => g.id === 'yanfeng-dangjiacun')!;
    await createReferenceStore(table.db).putGrid({ ...dangjia, geometry: { type: 'Polygon', coordinates: [[[100, 10], [100.01, 10], [100.01, 10.01], [100, 10.01], [100, 10]]] } });
    const second = await cache.grids();
    expect(second).not.toBe(first);
    expect(second.locate(26.879, 112.613)).toBeUndefined();
    expect(second.locate(10.005, 100.002)?.id).toBe('yanfeng-dangjiacun');
  });

  it('checks the version at most once per staleness window, and at once after its own write', async () => {
    const store = createReferenceStore(table.db);
    let checks = 0;
    let clock = 1_000_000;
    const counting = { ...store, version: async (kind: Parameters<typeof store.version>[0]) => (checks++, store.version(kind)) };
    const cache = createReferenceCache(counting, { maxStaleMs: 10_000, now: () => clock });
    await cache.categories();
    await cache.categories();
    clock += 9_999;
    await cache.categories();
    expect(checks).toBe(1);
    clock += 2;
    await cache.categories();
    expect(checks).toBe(2);
    cache.invalidate('categories');
    await cache.categories();
    expect(checks).toBe(3);
  });

  it('loads once for concurrent first readers', async () => {
    const store = createReferenceStore(table.db);
    let loads = 0;
    const counting = { ...store, listDepartments: async () => (loads++, store.listDepartments()) };
    const cache = createReferenceCache(counting);
    const trees = await Promise.all(Array.from({ length: 10 }, () => cache.departments()));
    expect(new Set(trees).size).toBe(1);
    expect(loads).toBe(1);
  });
});

describe('an import that stops half-way', () => {
  it('still moves the version of what it wrote, so warm caches reload it', async () => {
    const store = createReferenceStore(table.db);
    const before = { departments: await store.version('departments'), grids: await store.version('grids') };
    // The client fails the first grid batch after the departments went in (a throttle, a killed CLI).
    let failed = false;
    const send: typeof table.db.client.send = (command: Parameters<typeof table.db.client.send>[0], ...rest: unknown[]) => {
      // Each grid is replaced by an UpdateItem (its own version +1): fail the first one.
      const key = (command.input as { Key?: { sk?: string } }).Key;
      if (!failed && typeof key?.sk === 'string' && key.sk.startsWith('$grid')) {
        failed = true;
        return Promise.reject(new Error('ProvisionedThroughputExceededException'));
      }
      return (table.db.client.send as (...a: unknown[]) => Promise<unknown>)(command, ...rest) as never;
    };
    const interrupted = createReferenceStore({ ...table.db, client: { send } as unknown as typeof table.db.client });
    const city = loadDemoCity();
    await expect(interrupted.importAll({ departments: city.departments, grids: city.grids })).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(failed).toBe(true);
    // The departments went in whole: bumped before and after. The grids failed: bumped before (some may
    // be written, and nothing else records it) and again after the failure (a cache that reloaded while
    // they were being written reads again).
    expect(await store.version('departments')).toBe(before.departments + 2);
    expect(await store.version('grids')).toBe(before.grids + 2);
  });
});

describe('department changes against the tree as stored', () => {
  it('gives a grid to one of two brigades claiming it at once; the other is refused, even from a stale cache', async () => {
    const store = createReferenceStore(table.db);
    const city = loadDemoCity();
    const grid = { ...city.grids[0]!, id: `test-grid-${Date.now()}`, name: '测试网格' };
    await store.putGrid(grid);
    const deps: ReferenceDeps = { cache: createReferenceCache(store), store };
    const brigade = (id: string) => ({ name: `${id} 中队`, parentId: 'yanfeng-district-bureau', type: 'street-brigade' as const, gridIds: [] as string[] });
    await upsertDepartment(deps, 'test-brigade-a', brigade('test-brigade-a'));
    await upsertDepartment(deps, 'test-brigade-b', brigade('test-brigade-b'));
    await deps.cache.departments(); // warm: the cache now holds both brigades without the grid
    const claims = await Promise.allSettled(['test-brigade-a', 'test-brigade-b'].map((id) => upsertDepartment(deps, id, { ...brigade(id), gridIds: [grid.id] })));
    expect(claims.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    const refused = claims.find((c) => c.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ValidationError);
    expect(refused.reason.details[0].message).toMatch(new RegExp(`Grid ${grid.id} is already covered by test-brigade-[ab]`));
    const owners = (await store.listDepartments()).filter((d) => d.gridIds.includes(grid.id));
    expect(owners).toHaveLength(1);
    // Another container whose cache has not seen the winner is refused too: the check reads the stored tree.
    const stale: ReferenceDeps = { cache: { ...deps.cache, departments: async () => new DepartmentTree(city.departments) }, store };
    const loser = owners[0]!.id === 'test-brigade-a' ? 'test-brigade-b' : 'test-brigade-a';
    await expect(upsertDepartment(stale, loser, { ...brigade(loser), gridIds: [grid.id] })).rejects.toThrow(ValidationError);
  });
});
