import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCursorCodec } from '#shared/adapters/cursors';
import { createCaseStore } from '#shared/data/case-store';
import { taskModel } from '#shared/data/entities/cases';
import { createIdentityStore } from '#shared/data/identity-store';
import { primaryKey } from '#shared/data/model';
import { createPhotoStore } from '#shared/data/photo-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import type { CaseDeps } from '#shared/domain/cases/deps';
import type { Case, Priority } from '#shared/domain/cases/model';
import { listMyTasks, listQueue } from '#shared/domain/cases/queries';
import { transition, type TransitionInput } from '#shared/domain/cases/use-cases';
import type { Principal } from '#shared/domain/identity/model';
import type { Role } from '#shared/domain/roles';
import { reindexCases } from '#infra/cli/reindex';
import { loadDemoCity } from '#infra/local/seed';
import { readyPhoto } from '../support/photos.ts';
import { createTestTable } from '../support/table.ts';

/**
 * 我的任务 (`GET /v1/me/tasks`) for handlers and supervisors: a task item per case, kept in the case's own
 * transactions — it appears on dispatch, moves with a reassignment, leaves on completion, return,
 * suspension; comes back as `rework` after a failed verification; field checks are the supervisor's.
 * Urgent first, then by due time; one Query of the task index per page.
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
let deps: CaseDeps & { cursors: ReturnType<typeof createCursorCodec> };
/** Queries sent by the case store (the reference cache and the identity store read through the plain client). */
let queries = 0;
let users: ReturnType<typeof createIdentityStore>;
const BRIGADE = 'yanfeng-street-brigade';
const person = (role: Role, departmentId?: string): Principal => ({ userId: `${role}-${randomUUID().slice(0, 8)}`, roles: [role], departmentId, displayName: `${role} user` });
const agent = person('agent', 'city-bureau');
const leader = person('leader', 'city-bureau');
const supervisor = person('supervisor', 'city-bureau');

beforeAll(async () => {
  table = await createTestTable();
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  const real = table.db.client;
  const counting = {
    send: (command: Parameters<typeof real.send>[0], ...rest: unknown[]) => {
      if (command instanceof QueryCommand) queries++;
      return (real.send as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    },
  } as unknown as typeof real;
  users = createIdentityStore(table.db);
  await users.createUser({ id: supervisor.userId, phone: '+8613700015678', displayName: '监督员', roles: ['supervisor'], departmentId: 'city-bureau', status: 'active', createdAt: new Date().toISOString() });
  deps = {
    store: createCaseStore({ ...table.db, client: counting }),
    reference: createReferenceCache(reference),
    users,
    photos: { store: createPhotoStore(table.db) },
    now: () => new Date(),
    newId: () => randomUUID(),
    cursors: createCursorCodec(new Uint8Array(32).fill(5)),
  };
});
afterAll(async () => table.drop());

let phone = 0;
/** An active handler of the brigade. */
async function newHandler(): Promise<Principal> {
  const handler = person('handler', BRIGADE);
  await users.createUser({ id: handler.userId, phone: `+86137000${String(20000 + phone++).padStart(5, '0')}`, displayName: handler.displayName, roles: ['handler'], departmentId: BRIGADE, status: 'active', createdAt: new Date().toISOString() });
  return handler;
}

/** A filed case (its deadline and priority preset: a dispatch keeps them), stored as a fixture. */
async function filed(extra: { dueAt?: string; priority?: Priority; beforePhotoKeys?: string[] } = {}): Promise<Case> {
  const at = new Date().toISOString();
  const id = randomUUID();
  const c: Case = {
    id,
    status: 'filed',
    channel: 'app',
    description: '人行道井盖缺失',
    location: { lat: 26.879, lng: 112.613 },
    address: '雁峰区先锋路 12 号',
    gridId: 'yanfeng-dangjiacun',
    gridName: '当家村社区',
    categoryCode: 'E0503',
    categoryName: '沿街晾挂',
    caseNumber: `2026-${String(Math.floor(Math.random() * 999_999)).padStart(6, '0')}`,
    reporterId: 'citizen-1',
    dispatchPath: [],
    escalationLevel: 0,
    reworkCount: 0,
    beforePhotoKeys: extra.beforePhotoKeys ?? [],
    afterPhotoKeys: [],
    createdAt: at,
    updatedAt: at,
    version: 2,
    eventCount: 1,
    priority: extra.priority ?? 'normal',
    ...(extra.dueAt ? { dueAt: extra.dueAt } : {}),
  };
  await deps.store.createCase({ case: c, event: { caseId: id, seq: 1, at, action: 'report', toStatus: 'reported', actor: { id: 'x', role: 'citizen', displayName: 'x' }, internal: false }, counters: [] });
  return c;
}

const step = (who: Principal, caseId: string, input: TransitionInput) => transition(deps, who, caseId, input);
const dispatchTo = (handler: Principal, caseId: string) => step(agent, caseId, { action: 'dispatch', departmentId: BRIGADE, assigneeId: handler.userId });
const tasksOf = async (who: Principal, limit = 100) => (await listMyTasks(deps, who, { limit })).items;
const summary = async (who: Principal) => (await tasksOf(who)).map((t) => ({ caseId: t.caseId, kind: t.kind }));

describe('a handler\'s tasks', () => {
  it('appear on dispatch with what a phone shows offline, move with a reassignment and leave on completion', async () => {
    const [first, second] = [await newHandler(), await newHandler()];
    const before = await readyPhoto(table.db, 'citizen-1', 'before');
    const c = await filed({ dueAt: '2026-12-20T08:00:00.000Z', beforePhotoKeys: [before] });
    expect(await tasksOf(first)).toEqual([]);

    await dispatchTo(first, c.id);
    const [task, ...more] = await tasksOf(first);
    expect(more).toEqual([]);
    expect(task).toMatchObject({
      kind: 'handle',
      caseId: c.id,
      dueAt: '2026-12-20T08:00:00.000Z',
      case: { id: c.id, caseNumber: c.caseNumber, status: 'dispatched', description: c.description, address: c.address, location: c.location, gridId: c.gridId, categoryName: c.categoryName, priority: 'normal', dueAt: '2026-12-20T08:00:00.000Z' },
      photos: { before: [{ photoKey: before }] },
    });

    // Re-dispatched to a colleague: the task moves (one item per case, put again under the new assignee).
    await dispatchTo(second, c.id);
    expect(await summary(first)).toEqual([]);
    expect(await summary(second)).toEqual([{ caseId: c.id, kind: 'handle' }]);

    await step(second, c.id, { action: 'complete', photoKeys: [await readyPhoto(table.db, second.userId, 'after')] });
    expect(await summary(second)).toEqual([]);
  });

  it('come back as rework after a failed verification', async () => {
    const handler = await newHandler();
    const c = await filed();
    await dispatchTo(handler, c.id);
    await step(handler, c.id, { action: 'complete', photoKeys: [await readyPhoto(table.db, handler.userId, 'after')] });
    await step(agent, c.id, { action: 'verify', approved: false, note: '仍有垃圾' });
    expect(await summary(handler)).toEqual([{ caseId: c.id, kind: 'rework' }]);
  });

  it('leave on a return, a suspension and a void; a resumed case is the handler\'s again', async () => {
    const handler = await newHandler();
    const returned = await filed();
    await dispatchTo(handler, returned.id);
    await step(handler, returned.id, { action: 'return', reason: '不属本大队' });

    const parked = await filed();
    await dispatchTo(handler, parked.id);
    await step(handler, parked.id, { action: 'request', kind: 'suspension', reason: '待财政审批' });
    await step(leader, parked.id, { action: 'decide', approved: true });
    expect(await summary(handler)).toEqual([]);
    await step(leader, parked.id, { action: 'resume' });
    expect(await summary(handler)).toEqual([{ caseId: parked.id, kind: 'handle' }]);

    await step(handler, parked.id, { action: 'request', kind: 'extension', reason: '需要采购配件', hours: 8 });
    const extended = await step(leader, parked.id, { action: 'decide', approved: true });
    expect((await tasksOf(handler))[0]?.dueAt, 'an extension moves the task\'s due time').toBe(extended.dueAt);

    await step(agent, parked.id, { action: 'request', kind: 'void', reason: '重复立案' });
    await step(leader, parked.id, { action: 'decide', approved: true });
    expect(await summary(handler)).toEqual([]);
  });
});

describe('a supervisor\'s tasks', () => {
  it('are the open 核实/核查 checks sent to them; an answer or a cancelling decision removes them', async () => {
    const at = new Date().toISOString();
    const id = randomUUID();
    const reported: Case = { ...(await filed()), id, status: 'reported', caseNumber: undefined, categoryCode: undefined, categoryName: undefined, version: 1 };
    await deps.store.createCase({ case: reported, event: { caseId: id, seq: 1, at, action: 'report', toStatus: 'reported', actor: { id: 'x', role: 'citizen', displayName: 'x' }, internal: false }, counters: [] });
    await step(agent, id, { action: 'field-check', kind: 'verify-report', supervisorId: supervisor.userId });
    const [task] = await tasksOf(supervisor);
    expect(task).toMatchObject({ kind: 'verify-report', caseId: id, dueAt: expect.any(String), case: { id, status: 'reported' } });
    await step(supervisor, id, { action: 'field-check-answer', confirmed: true });
    expect(await summary(supervisor)).toEqual([]);

    const other = randomUUID();
    await deps.store.createCase({ case: { ...reported, id: other }, event: { caseId: other, seq: 1, at, action: 'report', toStatus: 'reported', actor: { id: 'x', role: 'citizen', displayName: 'x' }, internal: false }, counters: [] });
    await step(agent, other, { action: 'field-check', kind: 'verify-report', supervisorId: supervisor.userId });
    expect(await summary(supervisor)).toEqual([{ caseId: other, kind: 'verify-report' }]);
    await step(agent, other, { action: 'file', categoryCode: 'E0503' });
    expect(await summary(supervisor)).toEqual([]);
  });
});

describe('the order and the pages', () => {
  it('lists urgent tasks first, then by due time, one Query per page', async () => {
    const handler = await newHandler();
    const due = (day: number) => `2026-12-${String(day).padStart(2, '0')}T08:00:00.000Z`;
    const fixtures = [
      { dueAt: due(20), priority: 'normal' as const },
      { dueAt: due(25), priority: 'urgent' as const },
      { dueAt: due(10), priority: 'normal' as const },
      { dueAt: due(22), priority: 'urgent' as const },
      { dueAt: due(15), priority: 'normal' as const },
      { dueAt: due(11), priority: 'normal' as const },
      { dueAt: due(28), priority: 'normal' as const },
    ];
    const cases: Case[] = [];
    for (const f of fixtures) {
      const c = await filed(f);
      await dispatchTo(handler, c.id);
      cases.push({ ...c, ...f });
    }
    const expected = [...cases].sort((a, b) => (a.priority === b.priority ? a.dueAt!.localeCompare(b.dueAt!) : a.priority === 'urgent' ? -1 : 1)).map((c) => c.id);

    const ids: string[] = [];
    const perPage: number[] = [];
    let cursor: string | undefined;
    do {
      const start = queries;
      const page = await listMyTasks(deps, handler, { limit: 3, cursor });
      perPage.push(queries - start);
      ids.push(...page.items.map((t) => t.caseId!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(expected);
    expect(perPage.every((n) => n === 1), `Queries per page: ${perPage.join(', ')}`).toBe(true);
    expect(perPage.length).toBeGreaterThanOrEqual(3);

    // The cursor is the caller's: another person's list refuses it.
    const page = await listMyTasks(deps, handler, { limit: 3 });
    await expect(listMyTasks(deps, await newHandler(), { limit: 3, cursor: page.nextCursor })).rejects.toThrow(/cursor/i);
  });
});

describe('a handler\'s queue (GET /v1/cases)', () => {
  it('is served by the same task index: full pages of their own cases, one Query per page, the queue\'s shape', async () => {
    const [handler, colleague] = [await newHandler(), await newHandler()];
    // The colleague's cases first (oldest in the brigade's queue), then the handler's, interleaved.
    const mine: string[] = [];
    for (let i = 0; i < 4; i++) {
      await dispatchTo(colleague, (await filed()).id);
      const c = await filed({ dueAt: `2026-12-${String(10 + i)}T08:00:00.000Z` });
      await dispatchTo(handler, c.id);
      mine.push(c.id);
    }
    const ids: string[] = [];
    const sizes: number[] = [];
    const perPage: number[] = [];
    let cursor: string | undefined;
    do {
      const start = queries;
      const page = await listQueue(deps, handler, { status: 'dispatched' }, { limit: 2, cursor });
      perPage.push(queries - start);
      sizes.push(page.items.length);
      for (const item of page.items) expect(item).toMatchObject({ id: expect.any(String), caseNumber: expect.any(String), status: 'dispatched', assignment: { assigneeId: handler.userId } });
      ids.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(mine);
    expect(sizes.slice(0, 2)).toEqual([2, 2]);
    expect(perPage.every((n) => n === 1), `Queries per page: ${perPage.join(', ')}`).toBe(true);
    // Without a status, the same; another status still reads the brigade's subtree and keeps their own.
    expect((await listQueue(deps, handler, {}, { limit: 10 })).items.map((c) => c.id)).toEqual(mine);
    expect((await listQueue(deps, handler, { status: 'handled' }, { limit: 10 })).items).toEqual([]);
  });
});

describe('reindex', () => {
  it('writes the task items of open cases stored before them and deletes the field checks\' old items', async () => {
    const handler = await newHandler();
    const c = await filed({ dueAt: '2026-12-21T08:00:00.000Z' });
    await dispatchTo(handler, c.id);
    // As a table from before task items holds it: no task item; a supervisor's check as a `fieldTask` item.
    await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: primaryKey(taskModel, { caseId: c.id }) }));
    const legacy = { pk: `$citygrid#caseid_${c.id}`, sk: '$fieldtask_1', gsi4pk: `$citygrid#supervisorid_${supervisor.userId}`, gsi4sk: '$fieldtask_1#dueat_x', __edb_e__: 'fieldTask', __edb_v__: '1', caseId: c.id };
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: legacy }));
    expect(await summary(handler)).toEqual([]);

    await reindexCases(table.db);
    expect(await summary(handler)).toEqual([{ caseId: c.id, kind: 'handle' }]);
    expect((await table.client.send(new GetCommand({ TableName: table.tableName, Key: { pk: legacy.pk, sk: legacy.sk } }))).Item).toBeUndefined();
  });
});
