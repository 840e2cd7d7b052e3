import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { CityFolderError, readCityFolder } from '#infra/cli/city-folder';
import { exportCity, importCity, initAdmin } from '#infra/cli/commands';
import { run } from '#infra/cli/main';
import { openTarget } from '#infra/cli/target';
import { freePort } from '#infra/local/ports';
import { DEMO_CITY_DIR } from '#infra/local/seed';
import { createIdentityStore } from '#shared/data/identity-store';
import { createReferenceStore } from '#shared/data/reference-store';
import { ConflictError, ValidationError } from '#shared/domain/errors';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'citygrid-city-'));
  dirs.push(dir);
  return dir;
};
/** A copy of the demo city to edit. */
const demoCopy = () => {
  const dir = tempDir();
  cpSync(DEMO_CITY_DIR, dir, { recursive: true });
  return dir;
};
const editJson = (file: string, edit: (value: any) => void) => {
  const value = JSON.parse(readFileSync(file, 'utf8'));
  edit(value);
  writeFileSync(file, JSON.stringify(value));
};
const silent = () => {};
const versions = async () => {
  const store = createReferenceStore(table.db);
  return Promise.all((['departments', 'grids', 'categories'] as const).map((kind) => store.version(kind)));
};

beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('city import and export (npm run city) on DynamoDB Local', () => {
  it('imports the demo city into an empty table, then a second import changes nothing', async () => {
    const first = await importCity(table.db, DEMO_CITY_DIR, { dryRun: false }, silent);
    const city = readCityFolder(DEMO_CITY_DIR);
    expect(first.grids).toHaveLength(city.grids.length);
    expect(first.departments.every((d) => d.change === 'create')).toBe(true);
    expect(first.categories.length).toBeGreaterThanOrEqual(48); // no categories.json: the default catalogue
    const store = createReferenceStore(table.db);
    expect((await store.listGrids()).find((g) => g.id === 'yanfeng-dangjiacun')?.name).toBe('当家村社区');

    const before = await versions();
    const lines: string[] = [];
    const second = await importCity(table.db, DEMO_CITY_DIR, { dryRun: false }, (l) => lines.push(l));
    expect([second.departments, second.grids, second.categories]).toEqual([[], [], []]);
    expect(lines[0]).toMatch(/Nothing to change/);
    expect(await versions()).toEqual(before); // not even a version bump: caches stay warm
  });

  it('prints what an edited copy would change with --dry-run and writes nothing, then imports exactly that', async () => {
    const dir = demoCopy();
    editJson(join(dir, 'grids.geojson'), (fc) => (fc.features.find((f: any) => f.id === 'yanfeng-dangjiacun').properties.name = '当家村社区（新）'));
    editJson(join(dir, 'departments.json'), (list) => list.push({ id: 'yanfeng-new-brigade', name: '雁峰新大队', parentId: 'yanfeng-district-bureau', type: 'street-brigade', gridIds: [] }));
    const store = createReferenceStore(table.db);
    const before = { versions: await versions(), grids: await store.listGrids(), departments: await store.listDepartments() };

    const lines: string[] = [];
    const dry = await importCity(table.db, dir, { dryRun: true }, (l) => lines.push(l));
    expect(dry.grids).toEqual([{ id: 'yanfeng-dangjiacun', change: 'update' }]);
    expect(dry.departments).toEqual([{ id: 'yanfeng-new-brigade', change: 'create' }]);
    expect(dry.categories).toEqual([]);
    expect(lines.join('\n')).toMatch(/dry run, nothing written[\s\S]*~ grid yanfeng-dangjiacun \(changed\)[\s\S]*\+ department yanfeng-new-brigade/);
    expect(await versions()).toEqual(before.versions);
    expect(await store.listGrids()).toEqual(before.grids);
    expect(await store.listDepartments()).toEqual(before.departments);

    await importCity(table.db, dir, { dryRun: false }, silent);
    expect((await store.listGrids()).find((g) => g.id === 'yanfeng-dangjiacun')?.name).toBe('当家村社区（新）');
    expect((await store.listDepartments()).find((d) => d.id === 'yanfeng-new-brigade')).toMatchObject({ level: 3, parentId: 'yanfeng-district-bureau' });
    const [departments, grids, categories] = await versions();
    expect([departments! - before.versions[0]!, grids! - before.versions[1]!, categories! - before.versions[2]!]).toEqual([1, 1, 0]);
  });

  it('exports a folder that reads back as the same city and imports as nothing to change', async () => {
    const dir = tempDir();
    const exported = await exportCity(table.db, dir, silent);
    const reread = readCityFolder(dir);
    expect(reread.grids).toHaveLength(exported.grids.length);
    expect(JSON.parse(readFileSync(join(dir, 'categories.json'), 'utf8')).length).toBe(exported.categories.length);
    const plan = await importCity(table.db, dir, { dryRun: false }, silent);
    expect([plan.departments, plan.grids, plan.categories]).toEqual([[], [], []]);
  });

  it('refuses a folder that does not hold together, naming every problem, and writes nothing', async () => {
    const dir = demoCopy();
    editJson(join(dir, 'departments.json'), (list) => {
      list.push({ id: 'orphan-brigade', name: '无上级大队', parentId: 'no-such-bureau', type: 'street-brigade', gridIds: [] });
      list.push({ id: 'lost-brigade', name: '错格大队', parentId: 'yanfeng-district-bureau', type: 'street-brigade', gridIds: ['no-such-grid'] });
    });
    editJson(join(dir, 'grids.geojson'), (fc) => (fc.features[0].geometry.coordinates = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]])); // a bow tie
    writeFileSync(join(dir, 'categories.json'), JSON.stringify([{ code: 'X1', name: '坏类别', group: 'event', majorClass: '测试', timeLimit: { workingHours: -1 } }]));
    const before = await versions();
    const error = await importCity(table.db, dir, { dryRun: false }, silent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CityFolderError);
    const problems = (error as CityFolderError).problems.join('\n');
    expect(problems).toMatch(/grids\.geojson features\.0\.geometry\.coordinates: The polygon intersects itself/);
    expect(problems).toMatch(/categories\.json 0\.timeLimit\.workingHours/);
    expect(problems).toMatch(/departments\.json orphan-brigade/);
    expect(problems).toMatch(/departments\.json lost-brigade: no grid no-such-grid/);
    expect(await versions()).toEqual(before);
  });
});

describe('init-admin', () => {
  it('creates the first admin in the city root department, once', async () => {
    const id = await initAdmin(table.db, { phone: '13800000099', name: '首位管理员' }, silent);
    const user = await createIdentityStore(table.db).findUserByPhone('+8613800000099');
    expect(user).toMatchObject({ id, roles: ['admin'], departmentId: 'city-bureau', displayName: '首位管理员', status: 'active' });
    const lines: string[] = [];
    expect(await initAdmin(table.db, { phone: '+8613800000099' }, (l) => lines.push(l))).toBe(id);
    expect(lines.join()).toMatch(/nothing changed/);
  });

  it('refuses a phone that has another account, a bad phone, and a city without departments', async () => {
    await createIdentityStore(table.db).createUser({ id: randomUUID(), phone: '+8613900000001', displayName: '市民', roles: ['citizen'], status: 'active', createdAt: new Date().toISOString() });
    await expect(initAdmin(table.db, { phone: '+8613900000001' }, silent)).rejects.toBeInstanceOf(ConflictError);
    await expect(initAdmin(table.db, { phone: '12345' }, silent)).rejects.toBeInstanceOf(ValidationError);
    const empty = await createTestTable();
    try {
      await expect(initAdmin(empty.db, { phone: '+8613800000098' }, silent)).rejects.toThrow(/import the city first/);
    } finally {
      await empty.drop();
    }
  });
});

describe('the command line', () => {
  it('runs import --dry-run and init-admin against a running DynamoDB Local, and prints --help', async () => {
    const port = new URL(inject('dynamoEndpoint')).port;
    const previous = process.env.DYNAMODB_PORT;
    process.env.DYNAMODB_PORT = port;
    const localTable = `cli-${randomUUID()}`;
    try {
      const lines: string[] = [];
      expect(await run(['import', DEMO_CITY_DIR, '--dry-run', '--table', localTable], (l) => lines.push(l))).toBe(0);
      expect(lines.join('\n')).toMatch(/Target: local table cli-.* \(the running DynamoDB Local[\s\S]*\+ grid yanfeng-dangjiacun/);
      expect(await run(['init-admin', '--phone', '+8613800000097', '--table', localTable], silent).catch((e: Error) => e.message)).toMatch(/import the city first/);
      expect(await run(['import', DEMO_CITY_DIR, '--table', localTable], silent)).toBe(0);
      expect(await run(['init-admin', '--phone', '+8613800000097', '--table', localTable], silent)).toBe(0);
      const help: string[] = [];
      expect(await run(['--help'], (l) => help.push(l))).toBe(0);
      expect(help.join()).toMatch(/init-admin --phone[\s\S]*import <dir> \[--dry-run\][\s\S]*export <dir>[\s\S]*--stack <name>/);
      await expect(run(['import'], silent)).rejects.toThrow(/import takes one folder/);
    } finally {
      if (previous === undefined) delete process.env.DYNAMODB_PORT;
      else process.env.DYNAMODB_PORT = previous;
    }
  });

  // Two java start-ups in a row: slow on a busy machine, hence the longer timeout (no timing is asserted).
  it('starts DynamoDB Local on the data folder when none is running, keeps the data, and stops it again', { timeout: 180_000 }, async () => {
    const dataDir = tempDir();
    const dynamoPort = await freePort();
    const first = await openTarget({ dynamoPort, dataDir });
    expect(first.description).toMatch(/started for this command/);
    await importCity(first.db, DEMO_CITY_DIR, { dryRun: false }, silent);
    await first.close();
    const second = await openTarget({ dynamoPort, dataDir });
    try {
      expect(second.description).toMatch(/started for this command/); // the first one was stopped
      const plan = await importCity(second.db, DEMO_CITY_DIR, { dryRun: true }, silent);
      expect([plan.departments, plan.grids, plan.categories]).toEqual([[], [], []]);
    } finally {
      await second.close();
    }
  });
});
