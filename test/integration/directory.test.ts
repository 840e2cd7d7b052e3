import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '#shared/data/case-store';
import { createIdentityStore } from '#shared/data/identity-store';
import { createPhotoStore } from '#shared/data/photo-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { addWorkingHours, DEFAULT_CALENDAR } from '#shared/domain/calendar';
import type { Case, CaseEvent } from '#shared/domain/cases/model';
import { findCaseByNumber, transition, type CaseDeps } from '#shared/domain/cases/use-cases';
import { ForbiddenError, NotFoundError, ValidationError } from '#shared/domain/errors';
import { CANCELLED_ACCOUNT_NAME, cancelAccount, exportMyData } from '#shared/domain/identity/data-rights';
import { listStaff, updateStaff, type DirectoryDeps } from '#shared/domain/identity/directory';
import type { Principal, User } from '#shared/domain/identity/model';
import { putCalendarYear } from '#shared/domain/reference/use-cases';
import { loadDemoCity } from '#infra/local/seed';
import { createTestTable } from '../support/table.ts';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createQuotaCounter } from '#shared/data/quota-store';
import { DEFAULT_QUOTAS } from '#shared/domain/quotas';
import { reportCase } from '#shared/domain/cases/report';
import { supportCase } from '#shared/domain/cases/duplicates';
import { requestUpload, type UploadDeps } from '#shared/domain/photos/use-cases';
import { caseModel } from '#shared/data/entities/cases';
import { ENTITY_ATTRIBUTE, primaryKey } from '#shared/data/model';

let table: Awaited<ReturnType<typeof createTestTable>>;
let users: ReturnType<typeof createIdentityStore>;
let reference: ReturnType<typeof createReferenceStore>;
let cache: ReturnType<typeof createReferenceCache>;
let directory: DirectoryDeps;
let cases: CaseDeps;

const at = new Date().toISOString();
const staff = (displayName: string, roles: User['roles'], departmentId: string): User => ({ id: randomUUID(), phone: `+86137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, displayName, roles, departmentId, status: 'active', createdAt: at });
const principalOf = (u: User): Principal => ({ userId: u.id, roles: u.roles, departmentId: u.departmentId, displayName: u.displayName });

const people = {
  agent: staff('坐席 王芳', ['agent'], 'city-bureau'),
  cityDispatcher: staff('派遣 赵强', ['dispatcher'], 'city-bureau'),
  streetDispatcher: staff('派遣 钱亮', ['dispatcher'], 'yanfeng-street-brigade'),
  handlerA: staff('处置 孙涛', ['handler'], 'yanfeng-street-brigade'),
  handlerB: staff('处置 李娜', ['handler'], 'yanfeng-street-brigade'),
  otherHandler: staff('处置 周杰', ['handler'], 'zhuhui-district-bureau'),
  citizen: { ...staff('市民 小王', ['citizen'], ''), departmentId: undefined } as User,
};

beforeAll(async () => {
  table = await createTestTable();
  reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  cache = createReferenceCache(reference);
  users = createIdentityStore(table.db);
  for (const u of Object.values(people)) await users.createUser(u);
  directory = { store: users, departments: () => cache.departments(), grids: () => cache.grids() };
  cases = { store: createCaseStore(table.db), reference: cache, users, photos: { store: createPhotoStore(table.db) }, now: () => new Date(), newId: () => randomUUID() };
});
afterAll(async () => table.drop());

describe('the staff directory on gsi4', () => {
  it('lists staff by name, never citizens, with department names', async () => {
    const page = await listStaff(directory, principalOf(people.agent), { limit: 100 });
    const names = page.items.map((i) => i.displayName);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['处置 孙涛', '派遣 赵强', '坐席 王芳']));
    expect(names).not.toContain('市民 小王');
    expect(page.items.find((i) => i.id === people.handlerA.id)).toEqual({ id: people.handlerA.id, displayName: '处置 孙涛', roles: ['handler'], departmentId: 'yanfeng-street-brigade', departmentName: '雁峰街道城管大队', status: 'active' });
  });

  it('filters by role and a part of the name, and pages with a cursor', async () => {
    const handlers = await listStaff(directory, principalOf(people.agent), { role: 'handler', limit: 100 });
    expect(handlers.items.map((i) => i.id).sort()).toEqual([people.handlerA.id, people.handlerB.id, people.otherHandler.id].sort());
    const named = await listStaff(directory, principalOf(people.agent), { q: '孙涛', limit: 10 });
    expect(named.items.map((i) => i.id)).toEqual([people.handlerA.id]);
    const first = await listStaff(directory, principalOf(people.agent), { role: 'handler', limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await listStaff(directory, principalOf(people.agent), { role: 'handler', limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((i) => i.id).sort()).toEqual(handlers.items.map((i) => i.id).sort());
  });

  it('shows a dispatcher its own subtree only, and refuses a department outside it', async () => {
    const street = await listStaff(directory, principalOf(people.streetDispatcher), { limit: 100 });
    expect(street.items.map((i) => i.id).sort()).toEqual([people.streetDispatcher.id, people.handlerA.id, people.handlerB.id].sort());
    const city = await listStaff(directory, principalOf(people.cityDispatcher), { role: 'handler', limit: 100 });
    expect(city.items.map((i) => i.id)).toEqual(expect.arrayContaining([people.handlerA.id, people.otherHandler.id]));
    const oneDepartment = await listStaff(directory, principalOf(people.cityDispatcher), { departmentId: 'yanfeng-street-brigade', limit: 100 });
    expect(oneDepartment.items.map((i) => i.id).sort()).toEqual([people.streetDispatcher.id, people.handlerA.id, people.handlerB.id].sort());
    await expect(listStaff(directory, principalOf(people.streetDispatcher), { departmentId: 'city-bureau', limit: 10 })).rejects.toThrow(ForbiddenError);
  });

  it('changes a staff account and moves its directory and department index entries', async () => {
    const moved = staff('处置 吴迪', ['handler'], 'yanfeng-street-brigade');
    await users.createUser(moved);
    const changed = await updateStaff(directory, moved.id, { displayName: '处置 吴迪迪', departmentId: 'zhuhui-district-bureau', gridIds: ['yanfeng-dangjiacun'], roles: ['handler', 'supervisor'] });
    expect(changed).toMatchObject({ displayName: '处置 吴迪迪', departmentId: 'zhuhui-district-bureau', gridIds: ['yanfeng-dangjiacun'], roles: expect.arrayContaining(['handler', 'supervisor']) });
    expect((await users.listDepartmentStaff('yanfeng-street-brigade')).map((u) => u.id)).not.toContain(moved.id);
    expect((await users.listDepartmentStaff('zhuhui-district-bureau')).map((u) => u.id)).toContain(moved.id);
    expect((await listStaff(directory, principalOf(people.agent), { q: '吴迪迪', limit: 5 })).items.map((i) => i.id)).toEqual([moved.id]);
    expect((await listStaff(directory, principalOf(people.agent), { q: '处置 吴迪', limit: 5 })).items.map((i) => i.displayName)).toEqual(['处置 吴迪迪']);
  });

  it('applies concurrent changes of different fields of one account, none reverting another', async () => {
    const busy = staff('处置 韩梅', ['handler'], 'yanfeng-street-brigade');
    await users.createUser(busy);
    // Each update rewrites the fields it does not change from what it read: without a condition on that
    // read, the last write would put back the fields the others had just changed.
    await Promise.all([
      updateStaff(directory, busy.id, { displayName: '处置 韩梅梅' }),
      updateStaff(directory, busy.id, { departmentId: 'zhuhui-district-bureau' }),
      updateStaff(directory, busy.id, { roles: ['handler', 'supervisor'] }),
      updateStaff(directory, busy.id, { gridIds: ['yanfeng-dangjiacun'] }),
      updateStaff(directory, busy.id, { status: 'disabled' }),
    ]);
    const after = await users.getUser(busy.id);
    expect(after).toMatchObject({ displayName: '处置 韩梅梅', departmentId: 'zhuhui-district-bureau', gridIds: ['yanfeng-dangjiacun'], status: 'disabled', sessionEpoch: 1 });
    expect([...after!.roles].sort()).toEqual(['handler', 'supervisor']);
    // The directory index follows the last name and department.
    expect((await users.listDepartmentStaff('zhuhui-district-bureau')).map((u) => u.id)).toContain(busy.id);
    expect((await users.listDepartmentStaff('yanfeng-street-brigade')).map((u) => u.id)).not.toContain(busy.id);
  });

  it('keeps the stored id when the id in the path is spelled in capitals (the key is the same account)', async () => {
    const shouted = staff('处置 邓超', ['handler'], 'yanfeng-street-brigade');
    await users.createUser(shouted);
    expect(await updateStaff(directory, shouted.id.toUpperCase(), { displayName: '处置 邓超超' })).toMatchObject({ id: shouted.id, displayName: '处置 邓超超' });
    expect((await users.getUser(shouted.id))?.id).toBe(shouted.id); // not rewritten in capitals: tokens and tasks name it as before
  });

  it('disables an account and raises its session epoch; refuses unknown departments, grids and people', async () => {
    const gone = staff('处置 冯雪', ['handler'], 'yanfeng-street-brigade');
    await users.createUser(gone);
    expect(await updateStaff(directory, gone.id, { status: 'disabled' })).toMatchObject({ status: 'disabled' });
    expect(await users.getUser(gone.id)).toMatchObject({ status: 'disabled', sessionEpoch: 1 });
    await expect(updateStaff(directory, gone.id, { departmentId: 'no-such' })).rejects.toThrow(ValidationError);
    await expect(updateStaff(directory, gone.id, { gridIds: ['no-such-grid'] })).rejects.toThrow(ValidationError);
    await expect(updateStaff(directory, randomUUID(), { displayName: 'x' })).rejects.toThrow(NotFoundError);
    await expect(updateStaff(directory, people.citizen.id, { displayName: 'x' })).rejects.toThrow(NotFoundError); // not staff
  });

  it('keeps one active admin: the last one can neither drop the role nor be disabled, even when two demote each other at once', async () => {
    const adminCount = async () => (await users.listAllWithRole('admin')).filter((u) => u.status === 'active').length;
    const only = staff('管理员 白露', ['admin'], 'city-bureau');
    await users.createUser(only);
    const refusal = { name: 'ConflictError', code: 'LAST_ADMIN' };
    await expect(updateStaff(directory, only.id, { roles: ['agent'] })).rejects.toMatchObject(refusal);
    await expect(updateStaff(directory, only.id, { status: 'disabled' })).rejects.toMatchObject(refusal);
    expect(await users.getUser(only.id)).toMatchObject({ roles: ['admin'], status: 'active' });
    // Other changes of the last admin still go through.
    expect(await updateStaff(directory, only.id, { displayName: '管理员 白露露', roles: ['admin', 'leader'] })).toMatchObject({ displayName: '管理员 白露露' });

    const second = staff('管理员 黑夜', ['admin'], 'city-bureau');
    await users.createUser(second);
    for (let round = 0; round < 3; round++) {
      // Each demotes the other at the same moment: one wins, the other is refused, one admin stays.
      const outcomes = await Promise.allSettled([updateStaff(directory, only.id, { roles: ['leader'] }), updateStaff(directory, second.id, { status: 'disabled' })]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject(refusal);
      expect(await adminCount()).toBe(1);
      // Both admins again for the next round.
      await updateStaff(directory, only.id, { roles: ['admin', 'leader'] });
      await updateStaff(directory, second.id, { status: 'active' });
      expect(await adminCount()).toBe(2);
    }
    // With another admin, either may step down.
    expect(await updateStaff(directory, only.id, { roles: ['leader'] })).toMatchObject({ roles: ['leader'] });
  });
});

/** A filed (or dispatched) case with its report event, written through the case store. */
async function storedCase(overrides: Partial<Case>): Promise<Case> {
  const c: Case = {
    id: randomUUID(),
    status: 'filed',
    channel: 'app',
    description: '占道晾晒',
    location: { lat: 26.879, lng: 112.613 },
    gridId: 'yanfeng-dangjiacun',
    gridName: '当家村社区',
    categoryCode: 'E0503',
    categoryName: '沿街晾挂',
    reporterId: people.citizen.id,
    dispatchPath: [],
    escalationLevel: 0,
    reworkCount: 0,
    beforePhotoKeys: [],
    afterPhotoKeys: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
    eventCount: 1,
    ...overrides,
  };
  const event: CaseEvent = { caseId: c.id, seq: 1, at, action: 'report', toStatus: 'reported', actor: { id: c.reporterId ?? 'hotline', role: 'citizen', displayName: '市民 小王' }, internal: false };
  await cases.store.createCase({ case: c, event, counters: [] });
  return c;
}

describe('a case by its number through gsi4', () => {
  it('finds a filed case by number for staff in scope, and nothing for others', async () => {
    const c = await storedCase({ caseNumber: '2031-000123' });
    await storedCase({ caseNumber: '2031-000124' });
    expect((await findCaseByNumber(cases, principalOf(people.agent), '2031-000123')).items.map((i) => i.id)).toEqual([c.id]);
    expect((await findCaseByNumber(cases, principalOf(people.agent), '2031-000999')).items).toEqual([]);
    // A dispatcher sees it only once it has passed through its subtree; until then, as if absent.
    expect((await findCaseByNumber(cases, principalOf(people.streetDispatcher), '2031-000123')).items).toEqual([]);
    const dispatched = await storedCase({ caseNumber: '2031-000125', status: 'dispatched', dispatchPath: ['yanfeng-street-brigade'], assignment: { departmentId: 'yanfeng-street-brigade', departmentName: '雁峰街道城管大队' } });
    expect((await findCaseByNumber(cases, principalOf(people.streetDispatcher), '2031-000125')).items.map((i) => i.id)).toEqual([dispatched.id]);
  });

  it('keeps reported cases (no number) out of the index', async () => {
    const reported = await storedCase({ status: 'reported', caseNumber: undefined, categoryCode: undefined });
    const filed = await storedCase({ caseNumber: '2031-000126' });
    const raw = async (caseId: string) => (await table.client.send(new GetCommand({ TableName: table.tableName, Key: primaryKey(caseModel, { caseId }) }))).Item;
    expect(await raw(reported.id)).toBeDefined();
    expect((await raw(reported.id))!.gsi4pk).toBeUndefined();
    expect((await raw(filed.id))!.gsi4pk).toEqual(expect.stringContaining('2031-000126'));
  });
});

describe('the working calendar as data', () => {
  it('defaults to the built-in calendar, and uses a stored year for deadlines computed after it', async () => {
    expect(await cache.calendar()).toEqual(DEFAULT_CALENDAR);
    const deps = { cache, store: reference };
    // 2027: no built-in dates. Make Monday 2027-03-01 a holiday and Saturday 2027-03-06 a workday.
    const stored = await putCalendarYear(deps, 2027, { holidays: ['2027-03-01', '2027-03-01'], workdays: ['2027-03-06'] });
    expect(stored).toMatchObject({ year: 2027, holidays: ['2027-03-01'], workdays: ['2027-03-06'], version: 1 });
    const calendar = await createReferenceCache(reference).calendar(); // another container
    expect(calendar.holidays).toContain('2027-03-01');
    expect(calendar.holidays).toContain('2026-10-01'); // the built-in 2026 stays
    const friday = new Date('2027-02-26T09:30:00Z'); // 17:30 local
    // Half an hour on Friday, the other half on the next working morning: Tuesday, not the Monday holiday.
    expect(addWorkingHours(calendar, friday, 1).toISOString()).toBe('2027-03-02T01:00:00.000Z');
    expect(addWorkingHours(DEFAULT_CALENDAR, friday, 1).toISOString()).toBe('2027-03-01T01:00:00.000Z');
  });

  it('replaces a built-in year wholly when the city stores it', async () => {
    await putCalendarYear({ cache, store: reference }, 2026, { holidays: ['2026-12-31'], workdays: [] });
    const calendar = await createReferenceCache(reference).calendar();
    expect(calendar.holidays.filter((d) => d.startsWith('2026'))).toEqual(['2026-12-31']);
  });

  it('refuses dates outside the year and a date that is both', async () => {
    await expect(putCalendarYear({ cache, store: reference }, 2028, { holidays: ['2029-01-01'], workdays: [] })).rejects.toThrow(ValidationError);
    await expect(putCalendarYear({ cache, store: reference }, 2028, { holidays: ['2028-05-01'], workdays: ['2028-05-01'] })).rejects.toThrow(ValidationError);
  });
});

describe('account cancellation and export', () => {
  it('exports the person\'s account, cases and ratings, then cancels: identity off the cases, phone released', async () => {
    const person = { ...staff('市民 小李', ['citizen'], ''), departmentId: undefined } as User;
    await users.createUser(person);
    const rated = await storedCase({ reporterId: person.id, status: 'closed', caseNumber: '2031-000300', rating: { satisfied: true, score: 5, comment: '很快', at } });
    const open = await storedCase({ reporterId: person.id, caseNumber: '2031-000301' });
    const deps = { users, cases: cases.store, quotas: createQuotaCounter(table.db), now: () => new Date() };
    const principal = principalOf(person);

    const exported = await exportMyData(deps, principal);
    expect(exported.account).toMatchObject({ id: person.id, phone: person.phone, displayName: '市民 小李' });
    expect(exported.cases.map((c) => c.id).sort()).toEqual([rated.id, open.id].sort());
    expect(exported.ratings).toEqual([{ caseId: rated.id, caseNumber: '2031-000300', satisfied: true, score: 5, comment: '很快', at }]);

    await cancelAccount(deps, principal);
    expect(await users.getUser(person.id)).toBeUndefined();
    expect(await users.findUserByPhone(person.phone)).toBeUndefined();
    expect((await cases.store.listByReporter(person.id, { limit: 10 })).items).toEqual([]);
    const after = await cases.store.getCaseWithTimeline(rated.id);
    expect(after!.case.reporterId).toBeUndefined();
    expect(after!.case.rating).toMatchObject({ satisfied: true }); // the city's record stays
    expect(after!.timeline[0]!.actor).toEqual({ role: 'citizen', displayName: CANCELLED_ACCOUNT_NAME });
    expect(JSON.stringify(after)).not.toContain(person.id);
    expect(JSON.stringify(after)).not.toContain('小李');

    // The phone registers again: a new account that sees none of the old cases.
    const again = { ...person, id: randomUUID() };
    expect(await users.createUser(again)).toBe('created');
    expect((await cases.store.listByReporter(again.id, { limit: 10 })).items).toEqual([]);
  });

  it('wins against a transition racing the cancellation (the case version moves)', async () => {
    const person = { ...staff('市民 小周', ['citizen'], ''), departmentId: undefined } as User;
    await users.createUser(person);
    const c = await storedCase({ reporterId: person.id, caseNumber: '2031-000400' });
    const deps = { users, cases: cases.store, quotas: createQuotaCounter(table.db), now: () => new Date() };
    const agent = principalOf(people.agent);
    await Promise.all([cancelAccount(deps, principalOf(person)), transition(cases, agent, c.id, { action: 'dispatch', departmentId: 'city-bureau' }).catch(() => undefined)]);
    const after = await cases.store.getCaseWithTimeline(c.id);
    expect(after!.case.reporterId).toBeUndefined();
    expect(after!.timeline.filter((e) => e.actor.id === person.id)).toEqual([]);
  });

  it('leaves no follower, photo or quota item naming the person, and a container still trusting the token writes nothing', async () => {
    const person = { ...staff('市民 小吴', ['citizen'], ''), departmentId: undefined } as User;
    await users.createUser(person);
    const principal = principalOf(person);
    const counter = createQuotaCounter(table.db);
    const photoStore = createPhotoStore(table.db);
    const withQuotas: CaseDeps = { ...cases, quotas: { counter, policy: DEFAULT_QUOTAS } };
    const uploads: UploadDeps = { store: photoStore, uploads: { presignUpload: async () => ({ url: 'http://s3.local/bucket', fields: {} }) }, quotas: { counter, policy: DEFAULT_QUOTAS }, now: () => new Date(), newId: () => randomUUID() };
    // Before: a "me too" on someone else's case, a photo, a report with it (quota counters for both).
    const other = await storedCase({ caseNumber: '2031-000500' });
    await supportCase(withQuotas, principal, other.id);
    const { photoKey } = await requestUpload(uploads, principal, { kind: 'before', contentType: 'image/jpeg', size: 1000 });
    await photoStore.settle(photoKey, { status: 'ready', width: 10, height: 10, size: 900 });
    const reported = await reportCase(withQuotas, principal, { description: '路灯不亮', location: { lat: 26.879, lng: 112.613 }, photoKeys: [photoKey] });
    const counters = async () => (await scanAll()).filter((item) => item.key === person.id);
    expect((await counters()).length).toBeGreaterThan(0);
    expect((await cases.store.listFollowers(other.id))).toContainEqual({ kind: 'user', userId: person.id });

    await cancelAccount({ users, cases: cases.store, quotas: counter, now: () => new Date() }, principal);
    expect(await cases.store.listFollowers(other.id)).not.toContainEqual({ kind: 'user', userId: person.id });
    expect((await photoStore.get(photoKey))!.ownerId).toBe('-');
    expect(await counters()).toEqual([]);
    expect((await cases.store.getCase(reported.id))!.reporterId).toBeUndefined();

    // Another container still holds the person as signed in (its auth cache): every write is refused, nothing is stored.
    await expect(reportCase(withQuotas, principal, { description: '井盖缺失', location: { lat: 26.879, lng: 112.613 } })).rejects.toMatchObject({ name: 'UnauthenticatedError' });
    await expect(reportCase(cases, principal, { description: '井盖缺失', location: { lat: 26.879, lng: 112.613 } })).rejects.toMatchObject({ name: 'UnauthenticatedError' });
    const another = await storedCase({ caseNumber: '2031-000501' });
    await expect(supportCase(withQuotas, principal, another.id)).rejects.toMatchObject({ name: 'UnauthenticatedError' });
    await expect(requestUpload(uploads, principal, { kind: 'before', contentType: 'image/jpeg', size: 1000 })).rejects.toMatchObject({ name: 'UnauthenticatedError' });
    await expect(requestUpload({ ...uploads, quotas: undefined }, principal, { kind: 'before', contentType: 'image/jpeg', size: 1000 })).rejects.toMatchObject({ name: 'UnauthenticatedError' });
    expect((await cases.store.getCase(another.id))!.supporterCount ?? 0).toBe(0);
    expect((await cases.store.listByReporter(person.id, { limit: 10 })).items).toEqual([]);
    const left = (await scanAll()).filter((item) => JSON.stringify(item).includes(person.id));
    expect(left.map((item) => item[ENTITY_ATTRIBUTE])).toEqual(['cancelledAccount']); // only the marker, which expires after a day
  });
});

/** Every item of the test table (small: one file's data). */
async function scanAll(): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.db.client.send(new ScanCommand({ TableName: table.db.name, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Array<Record<string, unknown>>));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
