import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox } from '#shared/adapters/outbox';
import { outboxSmsSender } from '#shared/adapters/sms';
import { createDutyStore } from '#shared/data/duty-store';
import { createIdentityStore } from '#shared/data/identity-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { createRollCallStore, openRollCallsReader } from '#shared/data/roll-call-store';
import { createStatsReader } from '#shared/data/stats-store';
import { localDay, staffScope } from '#shared/domain/cases/counters';
import { answerRollCall, callRoll, listMyRollCalls, type RollCallDeps } from '#shared/domain/duty/roll-calls';
import { changeDuty, type DutyDeps } from '#shared/domain/duty/use-cases';
import { ConflictError, NotFoundError } from '#shared/domain/errors';
import type { Principal, User } from '#shared/domain/identity/model';
import type { Role } from '#shared/domain/roles';
import { getStaffStats } from '#shared/domain/stats/use-cases';
import { loadDemoCity } from '#infra/local/seed';
import { createTestTable } from '../support/table.ts';

/**
 * 点名 against DynamoDB Local: only a supervisor or handler on duty is called, one open roll call per
 * person (409 while it is open, free again an hour past due), an SMS through the outbox, the answer
 * against the person's area (inside / metres outside), on time or late, once (a second answer returns
 * the first), someone else's roll call is 404, and the counters reach position evaluation.
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
let duty: DutyDeps;
let deps: RollCallDeps;
let clock = new Date();
const INSIDE = { lat: 26.879, lng: 112.613 }; // 当家村社区, a grid of yanfeng-street-brigade
const OUTSIDE = { lat: 26.9, lng: 112.613 }; // about 2 km north of it
const agent: Principal = { userId: 'agent-1', roles: ['agent'], displayName: '坐席' };

async function person(roles: Role[], departmentId: string, extra: Partial<User> = {}): Promise<Principal & { phone: string }> {
  const phone = `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const user: User = { id: randomUUID(), phone, displayName: `人员${randomUUID().slice(0, 4)}`, roles, departmentId, status: 'active', createdAt: new Date().toISOString(), ...extra };
  await createIdentityStore(table.db).createUser(user);
  return { userId: user.id, roles, departmentId, displayName: user.displayName, phone };
}

const later = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};

beforeAll(async () => {
  table = await createTestTable();
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  const cache = createReferenceCache(reference);
  const now = () => new Date(clock);
  duty = { store: createDutyStore(table.db), users: createIdentityStore(table.db), departments: () => cache.departments(), grids: () => cache.grids(), now };
  deps = {
    store: createRollCallStore(table.db),
    duty: duty.store,
    users: duty.users,
    departments: duty.departments,
    grids: duty.grids,
    sms: outboxSmsSender(createOutbox(table.db), { signature: '城管通' }),
    smsPrefixes: ['+86'],
    minutes: 10,
    now,
    log: () => undefined,
  };
});
afterAll(async () => table.drop());

const onDuty = (p: Principal) => changeDuty(duty, p, { action: 'start', location: INSIDE });
const stats = async (userId: string) => (await createStatsReader(table.db)(staffScope(userId), localDay(clock), localDay(clock)))[0];

describe('roll calls (点名)', () => {
  it('calls only a supervisor or handler on duty; one open at a time; an SMS in Chinese through the outbox', async () => {
    const supervisor = await person(['supervisor'], 'city-bureau', { gridIds: ['yanfeng-dangjiacun'] });
    await expect(callRoll(deps, agent, supervisor.userId, {})).rejects.toMatchObject({ messageId: 'roll-call.not-on-duty' });
    const dispatcher = await person(['dispatcher'], 'city-bureau');
    await expect(callRoll(deps, agent, dispatcher.userId, {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(callRoll(deps, agent, randomUUID(), {})).rejects.toBeInstanceOf(NotFoundError);

    await onDuty(supervisor);
    const { rollCall } = await callRoll(deps, agent, supervisor.userId, { note: '请回复位置' });
    expect(rollCall).toEqual({ id: expect.any(String), staffId: supervisor.userId, sentAt: clock.toISOString(), dueAt: new Date(clock.getTime() + 10 * 60_000).toISOString(), note: '请回复位置' });
    const second = callRoll(deps, agent, supervisor.userId, {});
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toMatchObject({ messageId: 'roll-call.open' });
    expect((await listMyRollCalls(deps, supervisor)).items).toEqual([rollCall]);
    expect(await openRollCallsReader(table.db, () => clock).open(supervisor.userId)).toEqual([{ id: rollCall.id, sentAt: rollCall.sentAt, dueAt: rollCall.dueAt, note: '请回复位置' }]);

    const texts = (await createOutbox(table.db).list({ limit: 50 })).items.filter((m: { destination: string }) => m.destination === supervisor.phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.body).toMatch(/^【城管通】点名：.*请于\d\d:\d\d前打开“城管通”/);
  });

  it('answers inside the area on time, once: a second answer returns the first; counters reach position evaluation', async () => {
    const supervisor = await person(['supervisor'], 'city-bureau', { gridIds: ['yanfeng-dangjiacun'] });
    await onDuty(supervisor);
    const { rollCall } = await callRoll(deps, agent, supervisor.userId, {});
    later(3);
    const first = await answerRollCall(deps, supervisor, rollCall.id, { location: INSIDE });
    expect(first.rollCall).toMatchObject({ answeredAt: clock.toISOString(), location: INSIDE, insideArea: true, distanceToAreaMetres: 0, onTime: true });
    later(1);
    const again = await answerRollCall(deps, supervisor, rollCall.id, { location: OUTSIDE });
    expect(again).toEqual(first);
    expect((await listMyRollCalls(deps, supervisor)).items).toEqual([]);
    expect(await stats(supervisor.userId)).toMatchObject({ rollCalls: 1, rollCallsAnsweredOnTime: 1 });
    // Answered, it no longer blocks the next one.
    await callRoll(deps, agent, supervisor.userId, {});
    expect(await stats(supervisor.userId)).toMatchObject({ rollCalls: 2, rollCallsAnsweredOnTime: 1 });

    const reference = createReferenceCache(createReferenceStore(table.db));
    const evaluation = await getStaffStats({ readDays: createStatsReader(table.db), reference, staffWithRole: (role: Role) => createIdentityStore(table.db).listAllWithRole(role), now: () => clock }, { role: 'supervisor', from: localDay(clock), to: localDay(clock) });
    expect(evaluation.items.find((i) => i.userId === supervisor.userId)).toMatchObject({ rollCalls: 2, rollCallsAnsweredOnTime: 1, onTimeRollCallRate: 0.5 });
  });

  it('accepts a late answer and counts it late; a handler\'s area is their department\'s grids; metres outside', async () => {
    const handler = await person(['handler'], 'yanfeng-street-brigade');
    await onDuty(handler);
    const { rollCall } = await callRoll(deps, agent, handler.userId, {});
    later(15);
    const { rollCall: answered } = await answerRollCall(deps, handler, rollCall.id, { location: OUTSIDE });
    expect(answered).toMatchObject({ onTime: false, insideArea: false });
    expect(answered.distanceToAreaMetres).toBeGreaterThan(500);
    expect(answered.distanceToAreaMetres).toBeLessThan(5000);
    expect(await stats(handler.userId)).toMatchObject({ rollCalls: 1 });
    expect((await stats(handler.userId))!.rollCallsAnsweredOnTime ?? 0).toBe(0);
  });

  it('counts a queued answer by its own time (at), no earlier than the call', async () => {
    const handler = await person(['handler'], 'yanfeng-street-brigade');
    await onDuty(handler);
    const { rollCall } = await callRoll(deps, agent, handler.userId, {});
    const pressed = new Date(clock.getTime() + 5 * 60_000).toISOString();
    later(20); // the phone was offline: its answer of 5 minutes after the call arrives 20 minutes after it
    const { rollCall: answered } = await answerRollCall(deps, handler, rollCall.id, { location: INSIDE, at: pressed });
    expect(answered).toMatchObject({ answeredAt: pressed, receivedAt: clock.toISOString(), onTime: true, insideArea: true });
  });

  it('gives someone else\'s roll call 404; an unanswered one closes an hour past due (409), and the next may be called', async () => {
    const supervisor = await person(['supervisor'], 'city-bureau', { gridIds: ['yanfeng-dangjiacun'] });
    const other = await person(['supervisor'], 'city-bureau', { gridIds: ['yanfeng-dangjiacun'] });
    await onDuty(supervisor);
    const { rollCall } = await callRoll(deps, agent, supervisor.userId, {});
    await expect(answerRollCall(deps, other, rollCall.id, { location: INSIDE })).rejects.toBeInstanceOf(NotFoundError);
    later(69);
    await expect(callRoll(deps, agent, supervisor.userId, {})).rejects.toMatchObject({ messageId: 'roll-call.open' });
    later(2);
    expect((await listMyRollCalls(deps, supervisor)).items).toEqual([]);
    await expect(answerRollCall(deps, supervisor, rollCall.id, { location: INSIDE })).rejects.toMatchObject({ messageId: 'roll-call.closed' });
    const next = await callRoll(deps, agent, supervisor.userId, {});
    expect(next.rollCall.id).not.toBe(rollCall.id);
    expect(await stats(supervisor.userId)).toMatchObject({ rollCalls: 2 });
  });
});
