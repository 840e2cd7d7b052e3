import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCursorCodec } from '#shared/adapters/cursors';
import { createCaseStore, toItem } from '#shared/data/case-store';
import { caseModel } from '#shared/data/entities/cases';
import { toStored } from '#shared/data/model';
import { get } from '#shared/data/operations';
import { createIdentityStore } from '#shared/data/identity-store';
import { createPhotoStore } from '#shared/data/photo-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import type { Case, CaseStatus } from '#shared/domain/cases/model';
import { listQueue } from '#shared/domain/cases/queries';
import type { CaseDeps } from '#shared/domain/cases/deps';
import { ForbiddenError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import { DepartmentTree } from '#shared/domain/reference/departments';
import { upsertDepartment, type ReferenceDeps } from '#shared/domain/reference/use-cases';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCity, importCity } from '#infra/cli/commands';
import { reindexCases } from '#infra/cli/reindex';
import { loadDemoCity } from '#infra/local/seed';
import { createTestTable } from '../support/table.ts';

/**
 * 派遣员的待办 is its department's subtree: the cases held by its department or any department below it,
 * in the department queue's order (status, then oldest first; urgent first within a page), one Query
 * per page whatever the depth; `departmentId` narrows to one department of the subtree and its own
 * subtree. Moving a department re-keys its open cases.
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
let deps: CaseDeps & { cursors: ReturnType<typeof createCursorCodec> };
let store: ReturnType<typeof createCaseStore>;
let reference: ReturnType<typeof createReferenceStore>;
let cache: ReturnType<typeof createReferenceCache>;
/** Queries sent by the case store (the reference cache reads through the plain client). */
let queries = 0;

const CITY = 'city-bureau';
const YANFENG = 'yanfeng-district-bureau';
const ZHUHUI = 'zhuhui-district-bureau';
const LIGHTING = 'city-lighting';
const BRIGADE = 'yanfeng-street-brigade';
const DONGFENG = 'dongfeng-street-brigade';
const dispatcher = (departmentId: string): Principal => ({ userId: `dispatcher-${randomUUID().slice(0, 8)}`, roles: ['dispatcher'], departmentId, displayName: '派遣员' });

beforeAll(async () => {
  table = await createTestTable();
  reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  cache = createReferenceCache(reference);
  const real = table.db.client;
  const counting = {
    send: (command: Parameters<typeof real.send>[0], ...rest: unknown[]) => {
      if (command instanceof QueryCommand) queries++;
      return (real.send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    },
  } as unknown as typeof real;
  store = createCaseStore({ ...table.db, client: counting }, cache.departments);
  deps = {
    store,
    reference: cache,
    users: createIdentityStore(table.db),
    photos: { store: createPhotoStore(table.db) },
    now: () => new Date(),
    newId: () => randomUUID(),
    cursors: createCursorCodec(new Uint8Array(32).fill(3)),
  };
});
afterAll(async () => table.drop());

let minute = 0;
/** A case in `status` held by `departmentId`, reported a minute after the previous fixture. */
async function held(departmentId: string, status: CaseStatus, extra: Partial<Case> = {}): Promise<Case> {
  const at = new Date(Date.UTC(2026, 4, 1, 8, minute++)).toISOString();
  const id = randomUUID();
  const tree = await cache.departments();
  const c: Case = {
    id,
    status,
    channel: 'app',
    description: `${departmentId} ${status}`,
    dispatchPath: [departmentId],
    escalationLevel: 0,
    reworkCount: 0,
    beforePhotoKeys: [],
    afterPhotoKeys: [],
    createdAt: at,
    updatedAt: at,
    version: 3,
    eventCount: 1,
    categoryCode: 'E0503',
    categoryName: '沿街晾挂',
    assignment: { departmentId, departmentName: tree.require(departmentId).name },
    firstDispatchedAt: at,
    dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    ...(status === 'closed' ? { closedAt: at, completedAt: at } : {}),
    ...extra,
  };
  await deps.store.createCase({ case: c, event: { caseId: id, seq: 1, at, action: 'report', toStatus: 'reported', actor: { id: 'x', role: 'citizen', displayName: 'x' }, internal: false }, counters: [] });
  return c;
}

/** Every page of a queue, following the cursors; the Queries each page took. */
async function allPages(principal: Principal, filter: Parameters<typeof listQueue>[2], limit: number) {
  const ids: string[] = [];
  const perPage: number[] = [];
  let cursor: string | undefined;
  do {
    const before = queries;
    const page = await listQueue(deps, principal, filter, { limit, cursor });
    perPage.push(queries - before);
    ids.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor;
  } while (cursor);
  return { ids, perPage };
}

/** The department queue's order: status, then oldest first. */
const inQueueOrder = (cases: Case[]) => [...cases].sort((a, b) => a.status.localeCompare(b.status) || a.createdAt.localeCompare(b.createdAt)).map((c) => c.id);

describe('a dispatcher\'s queue', () => {
  let cases: Record<'city' | 'yanfeng' | 'brigade' | 'brigadeHandled' | 'brigadeClosed' | 'lighting' | 'dongfeng', Case>;
  beforeAll(async () => {
    cases = {
      brigadeHandled: await held(BRIGADE, 'handled'),
      city: await held(CITY, 'dispatched'),
      lighting: await held(LIGHTING, 'dispatched'),
      brigade: await held(BRIGADE, 'dispatched'),
      yanfeng: await held(YANFENG, 'dispatched'),
      dongfeng: await held(DONGFENG, 'dispatched'),
      brigadeClosed: await held(BRIGADE, 'closed'),
    };
  });

  it('of the city bureau lists every case held by it or below it, in the department queue\'s order', async () => {
    const { items } = await listQueue(deps, dispatcher(CITY), {}, { limit: 100 });
    expect(items.map((c) => c.id)).toEqual(inQueueOrder(Object.values(cases)));
    // Each item names its holder.
    expect(items.find((c) => c.id === cases.lighting.id)?.assignment).toMatchObject({ departmentId: LIGHTING, departmentName: '市路灯管理所' });
  });

  it('of a district bureau lists its own and its street brigades\' cases, nothing of other districts or offices', async () => {
    const { items } = await listQueue(deps, dispatcher(YANFENG), {}, { limit: 100 });
    expect(items.map((c) => c.id)).toEqual(inQueueOrder([cases.yanfeng, cases.brigade, cases.brigadeHandled, cases.brigadeClosed]));
  });

  it('of a street brigade stays its own department queue', async () => {
    const { items } = await listQueue(deps, dispatcher(BRIGADE), {}, { limit: 100 });
    expect(items.map((c) => c.id)).toEqual(inQueueOrder([cases.brigade, cases.brigadeHandled, cases.brigadeClosed]));
  });

  it('narrows to one department of the subtree (and its own subtree) with departmentId, and with status', async () => {
    const city = dispatcher(CITY);
    expect((await listQueue(deps, city, { departmentId: YANFENG }, { limit: 100 })).items.map((c) => c.id)).toEqual(inQueueOrder([cases.yanfeng, cases.brigade, cases.brigadeHandled, cases.brigadeClosed]));
    expect((await listQueue(deps, city, { departmentId: LIGHTING }, { limit: 100 })).items.map((c) => c.id)).toEqual([cases.lighting.id]);
    expect((await listQueue(deps, city, { status: 'dispatched' }, { limit: 100 })).items.map((c) => c.id)).toEqual(inQueueOrder([cases.city, cases.lighting, cases.brigade, cases.yanfeng, cases.dongfeng]));
    expect((await listQueue(deps, dispatcher(YANFENG), { departmentId: BRIGADE, status: 'handled' }, { limit: 100 })).items.map((c) => c.id)).toEqual([cases.brigadeHandled.id]);
  });

  it('refuses a department outside the subtree (403), as before', async () => {
    await expect(listQueue(deps, dispatcher(YANFENG), { departmentId: CITY }, { limit: 100 })).rejects.toThrow(ForbiddenError);
    await expect(listQueue(deps, dispatcher(YANFENG), { departmentId: DONGFENG }, { limit: 100 })).rejects.toThrow(ForbiddenError);
    await expect(listQueue(deps, dispatcher(BRIGADE), { departmentId: YANFENG }, { limit: 100 })).rejects.toThrow(ForbiddenError);
  });

  it('pages by cursor, one Query per page at every level of the tree', async () => {
    for (const [department, expected] of [
      [CITY, Object.values(cases)],
      [YANFENG, [cases.yanfeng, cases.brigade, cases.brigadeHandled, cases.brigadeClosed]],
      [BRIGADE, [cases.brigade, cases.brigadeHandled, cases.brigadeClosed]],
    ] as const) {
      const { ids, perPage } = await allPages(dispatcher(department), {}, 2);
      expect(ids).toEqual(inQueueOrder([...expected]));
      expect(perPage.every((n) => n === 1)).toBe(true);
    }
  });

  it('gives agents the same subtree for departmentId', async () => {
    const agent: Principal = { userId: 'agent-1', roles: ['agent'], departmentId: CITY, displayName: '坐席员' };
    expect((await listQueue(deps, agent, { departmentId: ZHUHUI }, { limit: 100 })).items.map((c) => c.id)).toEqual([cases.dongfeng.id]);
  });
});

describe('moving a department', () => {
  const MOVED = 'test-moved-brigade';
  let open: Case[];
  let closed: Case;
  let referenceDeps: ReferenceDeps;
  beforeAll(async () => {
    referenceDeps = { store: reference, cache, cases: store };
    await upsertDepartment(referenceDeps, MOVED, { name: '测试大队', parentId: YANFENG, type: 'street-brigade', gridIds: [] });
    open = [await held(MOVED, 'dispatched'), await held(MOVED, 'handled'), await held(MOVED, 'suspended')];
    closed = await held(MOVED, 'closed');
  });
  const subtree = async (department: string) => (await listQueue(deps, dispatcher(department), {}, { limit: 100 })).items.map((c) => c.id);

  it('re-keys its open cases: they leave the old district\'s queue and join the new one\'s', async () => {
    expect(await subtree(YANFENG)).toEqual(expect.arrayContaining([...open, closed].map((c) => c.id)));
    expect(await subtree(ZHUHUI)).not.toContain(open[0]!.id);
    await upsertDepartment(referenceDeps, MOVED, { name: '测试大队', parentId: ZHUHUI, type: 'street-brigade', gridIds: [] });
    const zhuhui = await subtree(ZHUHUI);
    expect(zhuhui).toEqual(expect.arrayContaining(open.map((c) => c.id)));
    expect(await subtree(YANFENG)).not.toEqual(expect.arrayContaining([open[0]!.id]));
    // Still one city: the level-1 key did not change.
    expect(await subtree(CITY)).toEqual(expect.arrayContaining(open.map((c) => c.id)));
    // A closed case stays where it was closed (documented: only open cases are re-keyed).
    expect(zhuhui).not.toContain(closed.id);
    expect(await subtree(YANFENG)).toContain(closed.id);
    // The version did not move: a client's expectedVersion still holds.
    expect((await deps.store.getCase(open[0]!.id))?.version).toBe(open[0]!.version);
  });

  it('is idempotent: a second run writes nothing', async () => {
    const tree = new DepartmentTree((await reference.currentDepartments()).departments);
    expect(await store.rekeySubtree(MOVED, tree)).toEqual({ checked: 3, rewritten: 0 });
  });

  it('is resumable: a run cut short is finished by the next', async () => {
    // Back under Yanfeng, with a client that fails after the first case written (a throttle, a timeout).
    const current = (await reference.currentDepartments()).departments.find((d) => d.id === MOVED) as { version?: number } | undefined;
    expect(await reference.putDepartment({ id: MOVED, name: '测试大队', parentId: YANFENG, type: 'street-brigade', level: 3, gridIds: [] }, await reference.version('departments'), undefined, { itemVersion: current?.version ?? 0 })).not.toBe(false);
    const tree = new DepartmentTree((await reference.currentDepartments()).departments);
    let puts = 0;
    const real = table.db.client;
    const failing = {
      send: (command: Parameters<typeof real.send>[0], ...rest: unknown[]) => {
        if (command instanceof PutCommand && ++puts > 1) return Promise.reject(new Error('ProvisionedThroughputExceededException'));
        return (real.send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
      },
    } as unknown as typeof real;
    await expect(createCaseStore({ ...table.db, client: failing }, cache.departments).rekeySubtree(MOVED, tree)).rejects.toThrow('ProvisionedThroughputExceededException');
    const halfway = await Promise.all(open.map(async (c) => (await get(table.db, caseModel, { caseId: c.id }, { consistent: true }))?.holderLevel2));
    expect(halfway.filter((key) => key === YANFENG)).toHaveLength(1);
    expect(await store.rekeySubtree(MOVED, tree)).toEqual({ checked: 3, rewritten: 2 });
    expect(await subtree(YANFENG)).toEqual(expect.arrayContaining(open.map((c) => c.id)));
    expect(await subtree(ZHUHUI)).not.toContain(open[0]!.id);
  });
});

describe('moving a department with `npm run city -- import`', () => {
  it('re-keys its open cases as the admin route does', async () => {
    const IMPORTED = 'test-imported-brigade';
    await upsertDepartment({ store: reference, cache, cases: store }, IMPORTED, { name: '导入测试大队', parentId: YANFENG, type: 'street-brigade', gridIds: [] });
    const open = await held(IMPORTED, 'dispatched');
    const dir = mkdtempSync(join(tmpdir(), 'citygrid-move-'));
    try {
      await exportCity(table.db, dir, () => {});
      const file = join(dir, 'departments.json');
      const rows = JSON.parse(readFileSync(file, 'utf8')) as Array<{ id: string; parentId?: string }>;
      rows.find((d) => d.id === IMPORTED)!.parentId = ZHUHUI;
      writeFileSync(file, JSON.stringify(rows, null, 2));
      const printed: string[] = [];
      await importCity(table.db, dir, { dryRun: false }, (line) => printed.push(line));
      expect(printed).toContain(`Moved ${IMPORTED}: re-keyed 1 of the 1 open cases held by it or below it.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    cache.invalidate('departments');
    const queue = async (department: string) => (await listQueue(deps, dispatcher(department), {}, { limit: 100 })).items.map((c) => c.id);
    expect(await queue(ZHUHUI)).toContain(open.id);
    expect(await queue(YANFENG)).not.toContain(open.id);
  });
});

describe('cases stored before the subtree queues', () => {
  it('are given their keys by the reindex', async () => {
    const tree = await cache.departments();
    const c = await held(BRIGADE, 'dispatched');
    // As an older version stored it: no subtree keys.
    const { holderLevel1: _1, holderLevel2: _2, ...old } = toItem(c, tree);
    await table.db.client.send(new PutCommand({ TableName: table.tableName, Item: toStored(caseModel, old) }));
    expect(await listQueue(deps, dispatcher(YANFENG), {}, { limit: 100 }).then((p) => p.items.map((i) => i.id))).not.toContain(c.id);
    await reindexCases(table.db);
    expect(await listQueue(deps, dispatcher(YANFENG), {}, { limit: 100 }).then((p) => p.items.map((i) => i.id))).toContain(c.id);
  });
});
