import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCity, importCity } from '#infra/cli/commands';
import { CityFolderError } from '#infra/cli/city-folder';
import { loadDemoCity } from '#infra/local/seed';
import { createIdentityStore } from '#shared/data/identity-store';
import { createReferenceStore } from '#shared/data/reference-store';
import { ENTITY_ATTRIBUTE } from '#shared/data/model';
import { ConflictError } from '#shared/domain/errors';
import type { User } from '#shared/domain/identity/model';
import { importStaff, type StaffBatchDeps } from '#shared/domain/identity/staff-batch';
import { parseStaffRows, localizeRows } from '#shared/http/staff-rows';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let users: ReturnType<typeof createIdentityStore>;
let deps: StaffBatchDeps;
const dirs: string[] = [];

const at = new Date().toISOString();
let phoneSeq = 0;
/** Phones unique to this file's run. */
const base = 10_000_000 + Math.floor(Math.random() * 80_000_000);
const nextPhone = () => `+86139${String(base + phoneSeq++).padStart(8, '0')}`;
const row = (over: Record<string, unknown> = {}) => ({ phone: nextPhone(), displayName: `处置 ${phoneSeq}`, roles: ['handler'], departmentId: 'yanfeng-street-brigade', ...over });
const run = (items: Array<Record<string, unknown>>, dryRun = false) => importStaff(deps, parseStaffRows(items, 'zh-CN'), { dryRun });
const countUsers = async () => {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start, FilterExpression: '#e = :u OR #e = :c', ExpressionAttributeNames: { '#e': ENTITY_ATTRIBUTE }, ExpressionAttributeValues: { ':u': 'user', ':c': 'phoneClaim' } }));
    count += page.Items?.length ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
};

const admin: User = { id: randomUUID(), phone: nextPhone(), displayName: '管理员 甲', roles: ['admin'], departmentId: 'city-bureau', status: 'active', createdAt: at };
const citizen: User = { id: randomUUID(), phone: nextPhone(), displayName: '市民 小王', roles: ['citizen'], status: 'active', createdAt: at };

beforeAll(async () => {
  table = await createTestTable();
  await createReferenceStore(table.db).importAll(loadDemoCity());
  users = createIdentityStore(table.db);
  await users.createUser(admin);
  await users.createUser(citizen);
  const city = loadDemoCity();
  deps = {
    store: users,
    departments: async () => new Map(city.departments.map((d) => [d.id, d])),
    grids: async () => new Set(city.grids.map((g) => g.id)),
    now: () => new Date(),
    newId: () => randomUUID(),
  };
});
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await table.drop();
});

describe('POST /v1/admin/staff/batch (importStaff)', () => {
  it('a dry run answers every row and writes nothing', async () => {
    const before = await countUsers();
    const items = [row(), row({ roles: ['supervisor'], gridIds: ['baishazhou-baisha'] }), row()];
    const result = await run(items, true);
    expect(result.items.map((i) => i.outcome)).toEqual(['created', 'created', 'created']);
    expect(result.written).toBe(0);
    expect(await countUsers()).toBe(before);
    expect((await users.usersByPhone(items.map((i) => i.phone))).size).toBe(0);
  });

  it('one invalid row: nothing is written and every row\'s outcome is reported, with the reasons', async () => {
    const before = await countUsers();
    const good = [row(), row()];
    const items = [
      good[0]!,
      { ...row(), phone: citizen.phone }, // a citizen's phone
      row({ departmentId: 'no-such-brigade' }),
      row({ gridIds: ['no-such-grid'] }),
      { ...row(), phone: good[0]!.phone }, // twice in the batch
      row({ roles: ['citizen'] }), // not a staff role (the row schema)
      { phone: '12345', displayName: '', roles: [], departmentId: 'city-bureau' },
      good[1]!,
    ];
    const result = await run(items);
    expect(result.items.map((i) => [i.row, i.outcome])).toEqual([
      [1, 'created'], [2, 'invalid'], [3, 'invalid'], [4, 'invalid'], [5, 'invalid'], [6, 'invalid'], [7, 'invalid'], [8, 'created'],
    ]);
    expect(result.written).toBe(0);
    expect(await countUsers()).toBe(before);
    const errors = localizeRows(result.items, 'zh-CN').map((i) => i.errors?.map((e) => `${e.path}: ${e.message}`));
    expect(errors[1]).toEqual(['phone: 该手机号属于市民账号，不能作为工作人员导入']);
    expect(errors[2]).toEqual(['departmentId: 部门 no-such-brigade 不存在']);
    expect(errors[3]).toEqual(['gridIds: 网格 no-such-grid 不存在']);
    expect(errors[4]).toEqual(['phone: 与第 1 行手机号重复']);
    expect(errors[5]![0]).toMatch(/^roles\.0: /);
    expect(errors[6]!.map((e) => e.split(':')[0])).toEqual(expect.arrayContaining(['phone', 'displayName', 'roles']));
    expect(localizeRows(result.items, 'en')[1]!.errors).toEqual([{ path: 'phone', message: 'This phone belongs to a citizen\'s account' }]);
  });

  it('writes the rows; the same rows again are all unchanged; a changed row is updated (and a disable ends its sessions)', async () => {
    const items = [row(), row({ roles: ['supervisor', 'handler'], gridIds: ['baishazhou-baisha', 'dongfeng-dongfeng'] }), row({ status: 'disabled' })];
    const first = await run(items);
    expect(first.items.map((i) => i.outcome)).toEqual(['created', 'created', 'created']);
    expect(first.written).toBe(3);
    const stored = await users.usersByPhone(items.map((i) => i.phone));
    expect(stored.get(items[1]!.phone)!.roles.sort()).toEqual(['handler', 'supervisor']);
    expect(stored.get(items[1]!.phone)).toMatchObject({ gridIds: ['baishazhou-baisha', 'dongfeng-dongfeng'], status: 'active', departmentId: 'yanfeng-street-brigade' });
    expect(stored.get(items[2]!.phone)!.status).toBe('disabled');
    expect(first.items.map((i) => i.userId)).toEqual(items.map((i) => stored.get(i.phone)!.id));

    const again = await run(items.map((i) => ({ ...i, roles: [...(i.roles as string[])].reverse() })));
    expect(again.items.map((i) => i.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.written).toBe(0);

    const changed = await run([{ ...items[0]!, status: 'disabled' }, items[1]!, { ...items[2]!, displayName: '处置 改名' }]);
    expect(changed.items.map((i) => i.outcome)).toEqual(['updated', 'unchanged', 'updated']);
    const after = await users.usersByPhone([items[0]!.phone, items[2]!.phone]);
    expect(after.get(items[0]!.phone)).toMatchObject({ status: 'disabled', sessionEpoch: 1 });
    expect(after.get(items[2]!.phone)).toMatchObject({ displayName: '处置 改名', status: 'disabled' });
  });

  it('takes 500 rows in one call (chunks within the 100-action transaction limit)', async () => {
    const before = await countUsers();
    const items = Array.from({ length: 500 }, () => row());
    const result = await run(items);
    expect(result.items.filter((i) => i.outcome === 'created')).toHaveLength(500);
    expect(result.written).toBe(500);
    expect(await countUsers()).toBe(before + 1000);
    expect((await run(items)).items.every((i) => i.outcome === 'unchanged')).toBe(true);
  });

  it('may not take the last active administrator away', async () => {
    const result = await run([{ phone: admin.phone, displayName: admin.displayName, roles: ['leader'], departmentId: 'city-bureau' }]);
    expect(result.items[0]).toMatchObject({ outcome: 'invalid', errors: [expect.objectContaining({ path: 'roles', messageId: 'staff.last-admin' })] });
    expect((await users.getUser(admin.id))!.roles).toEqual(['admin']);
    // With a second admin in the same batch it may.
    const second = row({ roles: ['admin'], departmentId: 'city-bureau' });
    const both = await run([{ phone: admin.phone, displayName: admin.displayName, roles: ['leader', 'admin'], departmentId: 'city-bureau' }, second], true);
    expect(both.items.map((i) => i.outcome)).toEqual(['updated', 'created']);
  });

  it('an account changed meanwhile stops the batch with 409 after the chunks before it; the same rows again converge', async () => {
    const items = Array.from({ length: 60 }, () => row());
    await run(items.slice(50)); // rows 51–60 exist
    const plan = await run(items, true);
    expect(plan.items.filter((i) => i.outcome === 'created')).toHaveLength(50);
    // Another admin renames row 55's account while our batch (rows 51–60 renamed) is on its way.
    const renamed = items.map((i, k) => (k >= 50 ? { ...i, displayName: `改 ${k}` } : i));
    const slow: StaffBatchDeps = {
      ...deps,
      store: {
        ...users,
        usersByPhone: users.usersByPhone,
        listAllWithRole: users.listAllWithRole,
        writeStaffBatch: async (writes) => {
          const victim = (await users.usersByPhone([items[54]!.phone])).get(items[54]!.phone)!;
          await users.updateStaff(victim.id, { displayName: '别人改的' });
          return users.writeStaffBatch(writes);
        },
      },
    };
    const error = await importStaff(slow, parseStaffRows(renamed, 'zh-CN'), { dryRun: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).messageParams).toEqual({ written: 49, total: 60 });
    // The first chunk (49 rows) was written; sending the same rows again finishes the batch.
    const rerun = await run(renamed);
    expect(rerun.items.filter((i) => i.outcome === 'unchanged')).toHaveLength(49);
    expect(rerun.items.filter((i) => i.outcome !== 'unchanged')).toHaveLength(11);
    expect((await run(renamed)).items.every((i) => i.outcome === 'unchanged')).toBe(true);
  });
});

describe('staff.csv in the city folder (npm run city -- import/export)', () => {
  it('export writes staff.csv with phones; import of the same folder changes nothing; an edited row is imported through the batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'citygrid-staff-'));
    dirs.push(dir);
    const lines: string[] = [];
    await exportCity(table.db, dir, (l) => lines.push(l));
    const csv = readFileSync(join(dir, 'staff.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('phone,displayName,roles,departmentId,gridIds,status');
    expect(csv).toContain(`${admin.phone},管理员 甲,admin,city-bureau,,active`);
    expect(csv).not.toContain(citizen.phone);

    const printed: string[] = [];
    await importCity(table.db, dir, { dryRun: false }, (l) => printed.push(l));
    expect(printed[0]).toBe('Nothing to change: the table already holds this city.');

    const newcomer = nextPhone();
    writeFileSync(join(dir, 'staff.csv'), `\uFEFF${csv}${newcomer},"监督 新人",supervisor;handler,yanfeng-street-brigade,baishazhou-baisha,\r\n`);
    const dry: string[] = [];
    await importCity(table.db, dir, { dryRun: true }, (l) => dry.push(l));
    expect(dry).toContain(`  + staff +86 ${newcomer.slice(3, 6)}****${newcomer.slice(10)}`);
    expect((await users.usersByPhone([newcomer])).size).toBe(0);
    await importCity(table.db, dir, { dryRun: false }, () => {});
    const created = (await users.usersByPhone([newcomer])).get(newcomer)!;
    expect(created.roles.sort()).toEqual(['handler', 'supervisor']);
    expect(created).toMatchObject({ displayName: '监督 新人', gridIds: ['baishazhou-baisha'], status: 'active' });
  });

  it('a folder whose staff.csv has an invalid row is refused before anything is written, naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'citygrid-staff-'));
    dirs.push(dir);
    await exportCity(table.db, dir, () => {});
    const grids = JSON.parse(readFileSync(join(dir, 'grids.geojson'), 'utf8'));
    grids.features[0].properties.name = '改过的网格名';
    writeFileSync(join(dir, 'grids.geojson'), JSON.stringify(grids));
    writeFileSync(join(dir, 'staff.csv'), `phone,displayName,roles,departmentId\n${nextPhone()},处置 甲,handler,yanfeng-street-brigade\n${citizen.phone},处置 乙,handler,yanfeng-street-brigade\n`);
    const error = await importCity(table.db, dir, { dryRun: false }, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CityFolderError);
    expect((error as CityFolderError).problems).toEqual(['staff.csv line 3 phone: This phone belongs to a citizen\'s account']);
    expect((await createReferenceStore(table.db).listGrids()).find((g) => g.id === grids.features[0].id)!.name).not.toBe('改过的网格名');
  });
});
