import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { CityFolderError, readCityFolder } from '#infra/cli/city-folder';
import { changeCount, describePlan } from '#infra/cli/city-sync';
import { exportCity, importCity, initAdmin, reindex } from '#infra/cli/commands';
import { run } from '#infra/cli/main';
import { openTarget } from '#infra/cli/target';
import { freePort } from '#infra/local/ports';
import { DataFolderBusyError, LOCK_FILE } from '#infra/local/data-lock';
import { startPlatform } from '#infra/local/platform';
import { DEMO_CITY_DIR } from '#infra/local/seed';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createCaseStore } from '#shared/data/case-store';
import { createIdentityStore } from '#shared/data/identity-store';
import { newReportedCase } from '#shared/domain/cases/model';
import { createReferenceStore } from '#shared/data/reference-store';
import { DEFAULT_CALENDAR } from '#shared/domain/calendar';
import { GridIndex } from '#shared/domain/geo/grid-index';
import { ConflictError, ValidationError } from '#shared/domain/errors';
import { createTestTable } from '../support/table.ts';
import { caseModel } from '#shared/data/entities/cases';
import { primaryKey } from '#shared/data/model';

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
  return Promise.all((['departments', 'grids', 'categories', 'calendar'] as const).map((kind) => store.version(kind)));
};
/** A copy of the demo city with another calendar.json. */
const withCalendar = (calendar: unknown) => {
  const dir = demoCopy();
  writeFileSync(join(dir, 'calendar.json'), JSON.stringify(calendar));
  return dir;
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
    expect(first.calendar).toEqual([{ id: '2026', change: 'create' }]);
    expect(await store.listCalendarYears()).toEqual(city.calendar.map((y) => ({ ...y, version: 1, updatedAt: expect.any(String) })));
    expect(first.cameras.length).toBeGreaterThanOrEqual(2);
    expect(await store.listCameras()).toEqual([...city.cameras].sort((a, b) => a.id.localeCompare(b.id)));

    const before = await versions();
    const lines: string[] = [];
    const second = await importCity(table.db, DEMO_CITY_DIR, { dryRun: false }, (l) => lines.push(l));
    expect([second.departments, second.grids, second.categories, second.calendar, second.cameras]).toEqual([[], [], [], [], []]);
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
    const after = await versions();
    // Only the kinds written move, bumped before and after their items (an interrupted import still moves them).
    expect(after.map((v, i) => v - before.versions[i]!)).toEqual([2, 2, 0, 0]);
  });

  it('exports a folder that reads back as the same city and imports as nothing to change', async () => {
    const dir = tempDir();
    const printed: string[] = [];
    const exported = await exportCity(table.db, dir, (line) => printed.push(line));
    expect(printed.join('\n')).toContain(`${exported.cameras.length} cameras`);
    const reread = readCityFolder(dir);
    expect(reread.grids).toHaveLength(exported.grids.length);
    expect(JSON.parse(readFileSync(join(dir, 'categories.json'), 'utf8')).length).toBe(exported.categories.length);
    const plan = await importCity(table.db, dir, { dryRun: false }, silent);
    expect(reread.cameras).toEqual(exported.cameras);
    expect([plan.departments, plan.grids, plan.categories, plan.calendar, plan.cameras]).toEqual([[], [], [], [], []]);
  });

  it('names each kind in the plan it prints (a category, a calendar year)', () => {
    const none = { departments: [], grids: [], categories: [], calendar: [], cameras: [] };
    const lines = describePlan({ ...none, categories: [{ id: 'E0503', change: 'update' }], calendar: [{ id: '2027', change: 'create' }], untouched: { ...none, calendar: ['2026'] }, writes: {} });
    expect(lines).toEqual([
      '  ~ category E0503 (changed)',
      '  + calendar 2027',
      '  grids: 0 new, 0 changed; departments: 0 new, 0 changed; categories: 0 new, 1 changed; calendar years: 1 new, 0 changed; cameras: 0 new, 0 changed',
      '  not in the folder, left as they are: 1 calendar years',
    ]);
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

describe('cameras.csv (视频巡查) in a city folder', () => {
  /** A copy of the demo city with another cameras.csv. */
  const withCameras = (csv: string) => {
    const dir = demoCopy();
    writeFileSync(join(dir, 'cameras.csv'), csv);
    return dir;
  };
  const cameraVersion = () => createReferenceStore(table.db).version('cameras');

  it("is the demo city's: at least two cameras, each inside a grid of the city", () => {
    const { cameras, grids } = readCityFolder(DEMO_CITY_DIR);
    expect(cameras.length).toBeGreaterThanOrEqual(2);
    expect(cameras).toContainEqual({ id: 'yanfeng-dangjiacun-crossroads', name: '当家村社区十字路口', location: { lat: 26.879, lng: 112.613 } });
    const index = new GridIndex(grids);
    for (const c of cameras) expect(index.locate(c.location.lat, c.location.lng), c.id).toBeDefined();
  });

  it('reads a file as a spreadsheet saves it (BOM, CRLF, quoted names, blank lines, location in one column); imports new and changed cameras, leaves others', async () => {
    const store = createReferenceStore(table.db);
    await importCity(table.db, DEMO_CITY_DIR, { dryRun: false }, silent);
    const csv = '\uFEFFid,name,location\r\nyanfeng-dangjiacun-crossroads,"当家村社区十字路口（东向）","26.879,112.613"\r\n\r\nhejiang-bridge,"合江社区, 桥头",26.885 112.612\r\n';
    const dir = withCameras(csv);
    expect(readCityFolder(dir).cameras).toEqual([
      { id: 'yanfeng-dangjiacun-crossroads', name: '当家村社区十字路口（东向）', location: { lat: 26.879, lng: 112.613 } },
      { id: 'hejiang-bridge', name: '合江社区, 桥头', location: { lat: 26.885, lng: 112.612 } },
    ]);
    const before = await cameraVersion();
    const lines: string[] = [];
    const dry = await importCity(table.db, dir, { dryRun: true }, (l) => lines.push(l));
    expect(dry.cameras).toEqual([{ id: 'yanfeng-dangjiacun-crossroads', change: 'update' }, { id: 'hejiang-bridge', change: 'create' }]);
    expect(lines.join('\n')).toMatch(/~ camera yanfeng-dangjiacun-crossroads \(changed\)[\s\S]*\+ camera hejiang-bridge[\s\S]*cameras: 1 new, 1 changed[\s\S]*left as they are: .*\d+ cameras/);
    expect(await cameraVersion()).toBe(before);

    await importCity(table.db, dir, { dryRun: false }, silent);
    const stored = await store.listCameras();
    expect(stored.find((c) => c.id === 'hejiang-bridge')).toEqual({ id: 'hejiang-bridge', name: '合江社区, 桥头', location: { lat: 26.885, lng: 112.612 } });
    expect(stored.find((c) => c.id === 'yanfeng-dangjiacun-crossroads')?.name).toBe('当家村社区十字路口（东向）');
    expect(stored.find((c) => c.id === 'baisha-jiefang-road')).toBeDefined(); // not in the folder: left as it is
    expect(await cameraVersion()).toBe(before + 2); // caches reload the cameras

    // Exported (lat,lng columns) and imported again: nothing to change.
    const out = tempDir();
    await exportCity(table.db, out, silent);
    expect(readFileSync(join(out, 'cameras.csv'), 'utf8').split('\n')[0]).toBe('id,name,lat,lng');
    expect((await importCity(table.db, out, { dryRun: false }, silent)).cameras).toEqual([]);
    await importCity(table.db, DEMO_CITY_DIR, { dryRun: false }, silent);
  });

  it('refuses a bad cameras.csv, naming the line and column of each problem, and writes nothing', async () => {
    const before = await versions();
    const refused = async (csv: string) => {
      const error = await importCity(table.db, withCameras(csv), { dryRun: false }, silent).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CityFolderError);
      return (error as CityFolderError).problems.join('\n');
    };
    expect(await refused('id,name\nx-cam,无坐标\n')).toMatch(/cameras\.csv: the first line names the columns: id,name,lat,lng/);
    const rows = await refused('id,name,lat,lng\ngood-cam,好,26.88,112.61\nBad Id,坏,26.88,112.61\nnorth-cam,北,95,112.61\nnan-cam,空,,112.61\ngood-cam,重复,26.88,112.61\n');
    expect(rows).toMatch(/cameras\.csv line 3 id:/);
    expect(rows).toMatch(/cameras\.csv line 4 lat:/);
    expect(rows).toMatch(/cameras\.csv line 5 lat:/);
    expect(rows).toMatch(/cameras\.csv: camera good-cam appears twice/);
    expect(await versions()).toEqual(before);
    expect((await createReferenceStore(table.db).listCameras()).map((c) => c.id)).not.toContain('good-cam');
  });
});

describe('calendar.json (the working calendar) in a city folder', () => {
  it("is the demo city's: the built-in 2026 holidays and make-up days", () => {
    const [year, ...others] = readCityFolder(DEMO_CITY_DIR).calendar;
    expect(others).toEqual([]);
    expect(year).toEqual({ year: 2026, holidays: DEFAULT_CALENDAR.holidays.filter((d) => d.startsWith('2026-')), workdays: DEFAULT_CALENDAR.workdays.filter((d) => d.startsWith('2026-')) });
  });

  it('creates a year on import, then reports it unchanged; dry runs write nothing; a changed year is an update', async () => {
    const store = createReferenceStore(table.db);
    // Unsorted and with a duplicate: stored sorted and deduplicated, as PUT /v1/admin/calendar/{year} stores it.
    const dir = withCalendar([{ year: 2027, holidays: ['2027-02-06', '2027-01-01', '2027-01-01'], workdays: ['2027-02-13'] }]);
    const before = await versions();

    const dryLines: string[] = [];
    const dry = await importCity(table.db, dir, { dryRun: true }, (l) => dryLines.push(l));
    expect(dry.calendar).toEqual([{ id: '2027', change: 'create' }]);
    expect(dryLines.join('\n')).toMatch(/dry run, nothing written[\s\S]*\+ calendar 2027[\s\S]*calendar years: 1 new, 0 changed/);
    expect((await store.listCalendarYears()).map((y) => y.year)).not.toContain(2027);
    expect(await versions()).toEqual(before);

    const created = await importCity(table.db, dir, { dryRun: false }, silent);
    expect(created.calendar).toEqual([{ id: '2027', change: 'create' }]);
    expect((await store.listCalendarYears()).find((y) => y.year === 2027)).toMatchObject({ year: 2027, holidays: ['2027-01-01', '2027-02-06'], workdays: ['2027-02-13'], version: 1 });
    expect((await versions())[3]).toBe(before[3]! + 2); // the calendar's version (before and after the write): caches reload it

    const lines: string[] = [];
    const again = await importCity(table.db, dir, { dryRun: false }, (l) => lines.push(l));
    expect(again.calendar).toEqual([]);
    expect(lines[0]).toMatch(/Nothing to change/);
    expect(lines.join('\n')).toMatch(/calendar years: 0 new, 0 changed/);
    expect((await versions())[3]).toBe(before[3]! + 2);

    editJson(join(dir, 'calendar.json'), (years) => years[0].holidays.push('2027-10-01'));
    const dryUpdate: string[] = [];
    expect((await importCity(table.db, dir, { dryRun: true }, (l) => dryUpdate.push(l))).calendar).toEqual([{ id: '2027', change: 'update' }]);
    expect(dryUpdate.join('\n')).toMatch(/~ calendar 2027 \(changed\)/);
    expect((await store.listCalendarYears()).find((y) => y.year === 2027)?.holidays).not.toContain('2027-10-01');
    await importCity(table.db, dir, { dryRun: false }, silent);
    expect((await store.listCalendarYears()).find((y) => y.year === 2027)?.holidays).toContain('2027-10-01');
  });

  it('refuses an invalid calendar.json, naming the file and each problem, and writes nothing', async () => {
    const before = await versions();
    const refused = async (calendar: unknown) => {
      const error = await importCity(table.db, withCalendar(calendar), { dryRun: false }, silent).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CityFolderError);
      return (error as CityFolderError).problems.join('\n');
    };
    // The route's own schema: a year out of range, a date that does not exist, a field it does not take.
    const schema = await refused([{ year: 1999, holidays: ['2028-02-30'], workdays: [], note: '?' }]);
    expect(schema).toMatch(/calendar\.json 0\.year/);
    expect(schema).toMatch(/calendar\.json 0\.holidays\.0/);
    expect(schema).toMatch(/calendar\.json 0(\.note)?: .*note/i);
    // The route's rules: dates in that year, none both a holiday and a workday; and a year once only.
    const rules = await refused([
      { year: 2028, holidays: ['2029-01-01', '2028-05-01'], workdays: ['2028-05-01'] },
      { year: 2029, holidays: [], workdays: [] },
      { year: 2029, holidays: ['2029-01-01'], workdays: [] },
    ]);
    expect(rules).toMatch(/calendar\.json 2028 holidays\.0: 2029-01-01 is not in 2028/);
    expect(rules).toMatch(/calendar\.json 2028 workdays\.0: 2028-05-01 is both a holiday and a workday/);
    expect(rules).toMatch(/calendar\.json: year 2029 appears twice/);
    expect(await refused({ 2028: { holidays: [], workdays: [] } })).toMatch(/calendar\.json \(root\)/);
    expect(await versions()).toEqual(before);
    // The command line prints it as one message naming the file.
    const dir = withCalendar([{ year: 2028, holidays: ['2029-01-01'], workdays: [] }]);
    await expect(importCity(table.db, dir, { dryRun: true }, silent)).rejects.toThrow(/The city folder is not valid:\n {2}calendar\.json 2028 holidays\.0: 2029-01-01 is not in 2028/);
  });

  it('exports the stored years as calendar.json, which imports back as nothing to change (identical files both ways)', async () => {
    const first = tempDir();
    const exported = await exportCity(table.db, first, silent);
    expect(exported.calendar.map((y) => y.year)).toContain(2027);
    const file = JSON.parse(readFileSync(join(first, 'calendar.json'), 'utf8'));
    expect(file).toEqual([...exported.calendar].sort((a, b) => a.year - b.year));
    expect(readCityFolder(first).calendar).toEqual(file);
    const plan = await importCity(table.db, first, { dryRun: false }, silent);
    expect(changeCount(plan)).toBe(0);
    const second = tempDir();
    await exportCity(table.db, second, silent);
    for (const name of ['calendar.json', 'departments.json', 'grids.geojson', 'categories.json']) {
      expect(readFileSync(join(second, name), 'utf8'), name).toBe(readFileSync(join(first, name), 'utf8'));
    }
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
    // The first time through npm start's CITYGRID_DATA_DIR, the second time by name: the same folder.
    const previous = process.env.CITYGRID_DATA_DIR;
    process.env.CITYGRID_DATA_DIR = dataDir;
    const first = await openTarget({ dynamoPort }).finally(() => {
      if (previous === undefined) delete process.env.CITYGRID_DATA_DIR;
      else process.env.CITYGRID_DATA_DIR = previous;
    });
    expect(first.description).toMatch(/started for this command/);
    expect(first.description).toContain(dataDir);
    await importCity(first.db, DEMO_CITY_DIR, { dryRun: false }, silent);
    await first.close();
    const second = await openTarget({ dynamoPort, dataDir });
    try {
      expect(second.description).toMatch(/started for this command/); // the first one was stopped
      const plan = await importCity(second.db, DEMO_CITY_DIR, { dryRun: true }, silent);
      expect(changeCount(plan)).toBe(0);
    } finally {
      await second.close();
    }
  });
});

describe('reindex (after a deploy that adds an index)', () => {
  it('gives cases stored before the indexes their keys: found by number afterwards, reported-month and nearness keys written', async () => {
    const own = await createTestTable();
    try {
      const store = createCaseStore(own.db);
      const at = new Date('2026-03-02T02:00:00Z');
      const { case: c, event } = newReportedCase(
        { id: randomUUID(), channel: 'app', description: '路灯不亮', location: { lat: 26.879, lng: 112.613 }, beforePhotoKeys: [], reporterId: 'citizen-1' },
        at,
        { id: 'citizen-1', role: 'citizen', displayName: '市民' },
      );
      const filed = { ...c, status: 'filed' as const, caseNumber: '2026-000777', categoryCode: 'E0101', gridId: 'yanfeng-dangjiacun' };
      await store.createCase({ case: filed, event, counters: [] });
      // As a first-wave table holds it: no keys of the later indexes (case number, reported month, nearness).
      const key = primaryKey(caseModel, { caseId: filed.id });
      const stored = await own.client.send(new GetCommand({ TableName: own.tableName, Key: key }));
      expect(stored.Item, 'the key format assumed here').toBeDefined();
      await own.client.send(new UpdateCommand({ TableName: own.tableName, Key: key, UpdateExpression: 'REMOVE gsi4pk, gsi4sk, gsi5pk, gsi5sk, gsi6pk, gsi6sk, reportedMonth, geohash, geoArea' }));
      expect(await store.findByCaseNumber('2026-000777')).toBeUndefined();

      const lines: string[] = [];
      const done = await reindex(own.db, (line) => lines.push(line));
      expect(done).toEqual({ scanned: 1, rewritten: 1, apiKeysListed: 0 });
      expect(lines.at(-1)).toBe('Rewrote 1 of 1 cases.');
      expect((await store.findByCaseNumber('2026-000777'))?.id).toBe(filed.id);
      const again = await own.client.send(new GetCommand({ TableName: own.tableName, Key: key }));
      expect(again.Item).toMatchObject({ reportedMonth: '2026-03', gsi6pk: expect.any(String), gsi5pk: expect.any(String), version: filed.version });
      // A second run rewrites the same keys: nothing the API reads changes.
      expect(await reindex(own.db, () => {})).toEqual({ scanned: 1, rewritten: 1, apiKeysListed: 0 });
    } finally {
      await own.drop();
    }
  });
});

describe('a data folder is never opened twice (platform.lock.json)', () => {
  const deadPid = async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => child.once('exit', done));
    return child.pid!;
  };

  it('refuses npm start and a second city command while a city command has the folder open, then lets them in', { timeout: 180_000 }, async () => {
    const dataDir = tempDir();
    const first = await openTarget({ dynamoPort: await freePort(), dataDir });
    let released = false;
    try {
      expect(first.description).toMatch(/started for this command/);
      const lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'));
      expect(lock).toMatchObject({ owner: 'city CLI', pid: process.pid, dynamoPid: expect.any(Number) });
      // npm start on the same folder (another port, so the port check cannot be what stops it).
      const start = startPlatform({ port: 0, dynamoPort: await freePort(), s3Port: await freePort(), dataDir, staticMounts: [] });
      await expect(start).rejects.toThrow(new RegExp(`The data folder .* is in use by a city command \\(pid ${process.pid}\\)`));
      await expect(start).rejects.toBeInstanceOf(DataFolderBusyError);
      // A second city command, without the first one's port.
      await expect(openTarget({ dynamoPort: await freePort(), dataDir })).rejects.toThrow(/is in use by a city command/);
      await first.close();
      released = true;
      expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    } finally {
      if (!released) await first.close();
    }
    // Free again: the next command opens it (and the data the first one wrote is there).
    const second = await openTarget({ dynamoPort: await freePort(), dataDir });
    await second.close();
  });

  it('takes over a lock whose processes are gone (a kill -9), and refuses one whose DynamoDB Local still runs', { timeout: 180_000 }, async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ owner: 'npm start', pid: await deadPid(), dynamoPid: await deadPid(), dynamoPort: 1, startedAt: '2026-01-01T00:00:00Z' }));
    const target = await openTarget({ dynamoPort: await freePort(), dataDir });
    try {
      expect(target.description).toMatch(/started for this command/);
    } finally {
      await target.close();
    }
    // npm start killed with -9: its java (here: this process, alive) still has the folder open.
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ owner: 'npm start', pid: await deadPid(), dynamoPid: process.pid, dynamoPort: 1, startedAt: '2026-01-01T00:00:00Z' }));
    await expect(openTarget({ dynamoPort: await freePort(), dataDir })).rejects.toThrow(new RegExp(`still open in DynamoDB Local \\(pid ${process.pid}, port 1\\).*kill ${process.pid}`));
  });
});
