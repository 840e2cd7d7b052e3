import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '#shared/data/case-store';
import { createIdentityStore } from '#shared/data/identity-store';
import { createPhotoStore } from '#shared/data/photo-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { createStatsReader } from '#shared/data/stats-store';
import { localDay } from '#shared/domain/cases/counters';
import type { Case } from '#shared/domain/cases/model';
import { reportCase, transition, type CaseDeps } from '#shared/domain/cases/use-cases';
import type { Principal } from '#shared/domain/identity/model';
import { exportCsv, getDepartmentStats, getHotspots, getSummary, getTrend, type StatsDeps } from '#shared/domain/stats/use-cases';
import { loadDemoCity } from '#infra/local/seed';
import { readyPhoto } from '../support/photos.ts';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
let cases: CaseDeps;
let stats: StatsDeps;
let clock = 0;
/** Sets the clock to a Shanghai local time, e.g. at('2026-11-24 09:00'). */
const at = (local: string) => (clock = Date.parse(`${local.replace(' ', 'T')}:00+08:00`));
const BRIGADE = 'yanfeng-street-brigade';
const citizen: Principal = { userId: `citizen-${randomUUID()}`, roles: ['citizen'], displayName: '市民' };
const agent: Principal = { userId: 'agent-1', roles: ['agent'], departmentId: 'city-bureau', displayName: '坐席员' };
const handler: Principal = { userId: `handler-${randomUUID()}`, roles: ['handler'], departmentId: BRIGADE, displayName: '处置人员' };

beforeAll(async () => {
  table = await createTestTable();
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  const users = createIdentityStore(table.db);
  await users.createUser({ id: handler.userId, phone: '+8613700005678', displayName: handler.displayName, roles: ['handler'], departmentId: BRIGADE, status: 'active', createdAt: new Date().toISOString() });
  const cache = createReferenceCache(reference);
  cases = {
    store: createCaseStore(table.db),
    reference: cache,
    users,
    photos: { store: createPhotoStore(table.db) },
    now: () => new Date(clock),
    newId: () => randomUUID(),
  };
  stats = { readDays: createStatsReader(table.db), reference: cache, staffWithRole: (role) => users.listAllWithRole(role), now: () => new Date(clock) };
});
afterAll(async () => table.drop());

const report = async () => (await reportCase(cases, citizen, { description: '沿街晾挂衣物影响市容', location: { lat: 26.879, lng: 112.613 } })).id;
const act = (who: Principal, id: string, input: Parameters<typeof transition>[3]) => transition(cases, who, id, input);
const complete = async (id: string) => act(handler, id, { action: 'complete', photoKeys: [await readyPhoto(table.db, handler.userId, 'after')] });
const fileAndDispatch = async (id: string) => {
  await act(agent, id, { action: 'file', categoryCode: 'E0503' });
  await act(agent, id, { action: 'dispatch', departmentId: BRIGADE, assigneeId: handler.userId });
};

describe('statistics from a known mix of cases, checked against figures computed by hand', () => {
  it('reports every headline figure, rate and department score', async () => {
    // Tuesday 24 Nov 09:00: six reports. 沿街晾挂 has 7 working hours: due Wednesday 09:00.
    at('2026-11-24 09:00');
    const [a, b, c, d, e] = [await report(), await report(), await report(), await report(), await report()];
    await report(); // F: received only
    for (const id of [a, b, c, e]) await fileAndDispatch(id!);
    await act(agent, d!, { action: 'reject', reason: '重复上报' });

    at('2026-11-24 10:00'); // A and C done within the hour
    await complete(a!);
    await complete(c!);
    at('2026-11-24 10:30'); // C not good enough: rework
    await act(agent, c!, { action: 'verify', approved: false, note: '未整改到位' });
    at('2026-11-24 11:00');
    await act(agent, a!, { action: 'verify', approved: true });
    at('2026-11-24 11:30');
    await act(citizen, a!, { action: 'rate', satisfied: true, score: 5 });
    at('2026-11-24 15:00'); // C done again, on time
    await complete(c!);
    at('2026-11-24 16:00');
    await act(agent, c!, { action: 'verify', approved: true });
    at('2026-11-26 10:00'); // B done a day late
    await complete(b!);
    at('2026-11-26 11:00');
    await act(agent, b!, { action: 'verify', approved: true });
    at('2026-11-26 11:30');
    await act(citizen, b!, { action: 'rate', satisfied: false, score: 2 });
    // E stays open past its deadline.

    at('2026-11-27 12:00');
    const summary = await getSummary(stats, { from: '2026-11-24', to: '2026-11-27', scope: 'city' });
    expect(summary).toMatchObject({
      received: 6,
      filed: 4,
      rejected: 1,
      dispatched: 4,
      handled: 4, // A, C twice, B
      closed: 3,
      reworked: 1,
      rated: 2,
      satisfied: 1,
      dueToClose: 4, // A, B, C, E fell due on Wednesday
      overdue: 2, // B closed late, E still open
      closureRate: 0.75, // 3 of the 4 due are closed
      onTimeClosureRate: 0.5, // A and C
      reworkRate: 0.25, // 1 rework in 4 completions
      satisfactionRate: 0.5,
      // Working hours first dispatch → completion: A 1, C 3.5 (09:00–12:00, 14:30–15:00), B 15 (Tue 6.5 + Wed 7 + Thu 1.5).
      averageHandlingHours: 6.5,
    });

    // Before Wednesday is over, nothing is due yet in a range that ends on Tuesday.
    const tuesday = await getSummary(stats, { from: '2026-11-24', to: '2026-11-24', scope: 'city' });
    expect(tuesday).toMatchObject({ received: 6, closed: 2, dueToClose: 0, closureRate: null });

    // The trend: the same figures day by day, one row per day of the range (a quiet day has zeros);
    // each day's cohort is the cases due that day, counted once the day is over.
    const trend = await getTrend(stats, { from: '2026-11-23', to: '2026-11-28', scope: 'city' });
    expect(trend).toMatchObject({ scope: 'city', from: '2026-11-23', to: '2026-11-28' });
    expect(trend.days.map((d) => d.day)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
    expect(trend.days[0]).toMatchObject({ received: 0, closed: 0, dueToClose: 0, closureRate: null });
    expect(trend.days[1]).toMatchObject({ received: 6, filed: 4, rejected: 1, closed: 2, handled: 3, reworked: 1, rated: 1, satisfied: 1, dueToClose: 0, satisfactionRate: 1 });
    // Wednesday: A, B, C and E fell due; A and C were closed on time, B late and E not at all.
    expect(trend.days[2]).toMatchObject({ received: 0, closed: 0, dueToClose: 4, overdue: 2, closureRate: 0.75, onTimeClosureRate: 0.5 });
    expect(trend.days[3]).toMatchObject({ closed: 1, handled: 1, rated: 1, satisfied: 0, dueToClose: 0, satisfactionRate: 0 });
    expect(trend.days[4]).toMatchObject({ received: 0, closed: 0 });
    for (const key of ['received', 'filed', 'closed', 'handled', 'dueToClose', 'overdue'] as const) {
      expect(trend.days.reduce((sum, d) => sum + d[key], 0), key).toBe(summary[key]);
    }
    // A dispatcher reads only its own department's trend; a quarter is the longest trend.
    const dispatcher: Principal = { userId: 'dispatcher-1', roles: ['dispatcher'], departmentId: BRIGADE, displayName: '派遣员' };
    expect((await getTrend(stats, { from: '2026-11-24', to: '2026-11-27' }, dispatcher)).scope).toBe(`department#${BRIGADE}`);
    await expect(getTrend(stats, { scope: 'city' }, dispatcher)).rejects.toMatchObject({ messageId: 'stats.scope-outside' });
    expect((await getTrend(stats, { from: '2026-09-01', to: '2026-11-30' })).days).toHaveLength(91);
    expect((await getTrend(stats, { from: '2026-09-01', to: '2026-12-01' })).days).toHaveLength(92);
    await expect(getTrend(stats, { from: '2026-09-01', to: '2026-12-02' })).rejects.toMatchObject({ messageId: 'stats.range-too-long' });

    const district = await getSummary(stats, { from: '2026-11-24', to: '2026-11-27', scope: 'district#雁峰区' });
    expect(district.received).toBe(6);

    // 热点: the reports carried no category (a citizen does not classify), so 沿街晾挂 has no 受理 of its own —
    // it is listed by what was filed under it; the grids add up to 受理.
    const hotspots = await getHotspots(stats, { from: '2026-11-24', to: '2026-11-27', limit: 100 });
    expect(hotspots.categories).toEqual([{ categoryCode: 'E0503', name: '沿街晾挂', received: 0, filed: 4, closed: 3 }]);
    expect(hotspots.grids.reduce((sum, g) => sum + g.received, 0)).toBe(6);

    const departments = await getDepartmentStats(stats, { from: '2026-11-24', to: '2026-11-27' });
    const brigade = departments.items.find((row) => row.departmentId === BRIGADE)!;
    expect(brigade).toMatchObject({ dispatched: 4, handled: 4, onTime: 3, overdue: 1, reworked: 1, returned: 0, closed: 3, rated: 2, satisfied: 1 });
    // (50 % × 3/4 on time + 30 % × 3/4 closed + 10 % × (1 − 1/4) + 10 % × 1/2 + 10 % × (1 − 0/4 extended)
    //  + 10 % × (1 − 0/4 supervised)) ÷ 120 % = 0.925 ÷ 1.2 = 77.08
    expect(brigade.score).toBe(77.08);
    expect(departments.items[0]!.departmentId).toBe(BRIGADE); // the only department with a score ranks first
    expect(departments.items.find((row) => row.departmentId === 'city-bureau')!.score).toBeNull();
    // Weights are configuration (SCORE_WEIGHTS): on-time only → 3 of 4 on time = 75.
    const onTimeOnly = await getDepartmentStats({ ...stats, weights: { onTime: 1, closure: 0, noRework: 0, satisfaction: 0 } }, { from: '2026-11-24', to: '2026-11-27' });
    expect(onTimeOnly.items.find((row) => row.departmentId === BRIGADE)!.score).toBe(75);

    const csv = await exportCsv(stats, { from: '2026-11-24', to: '2026-11-27' });
    expect(csv.startsWith('\ufeff')).toBe(true);
    expect(csv).toContain('city,2026-11-24,2026-11-27,6,4,3,1,4,2,0,0,0,0,0,0.75,0.5,0.25,0.5,0,6.5');
    expect(csv).toContain(`${BRIGADE},雁峰街道城管大队,4,4,3,1,0,0,0,1,0,3,77.08`);
  });

  it('counts 50 cases closed in parallel as exactly 50', async () => {
    clock = Date.now();
    const today = localDay(new Date(clock));
    const due = new Date(clock + 86_400_000).toISOString();
    const ids = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const id = randomUUID();
        const iso = new Date(clock).toISOString();
        const c: Case = {
          id, status: 'handled', channel: 'app', description: '并发结案', gridId: 'yanfeng-dangjiacun', gridName: '当家村社区', district: '雁峰区',
          categoryCode: 'E0503', categoryName: '沿街晾挂', reporterId: citizen.userId,
          assignment: { departmentId: BRIGADE, departmentName: '雁峰街道城管大队', assigneeId: handler.userId },
          dispatchPath: [BRIGADE], firstDispatchedAt: iso, completedAt: iso, dueAt: due, escalationLevel: 0, reworkCount: 0,
          beforePhotoKeys: [], afterPhotoKeys: [], createdAt: iso, updatedAt: iso, version: 5, eventCount: 1,
        };
        await cases.store.createCase({ case: c, event: { caseId: id, seq: 1, at: iso, action: 'report', toStatus: 'reported', actor: { id: 'x', role: 'citizen', displayName: 'x' }, internal: false }, counters: [] });
        return id;
      }),
    );
    const before = await getSummary(stats, { from: today, to: today, scope: 'city' });
    const results = await Promise.allSettled(ids.map((id) => act(agent, id, { action: 'verify', approved: true })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const after = await getSummary(stats, { from: today, to: today, scope: 'city' });
    expect(after.closed - before.closed).toBe(50);
    const brigade = (await getDepartmentStats(stats, { from: today, to: today })).items.find((row) => row.departmentId === BRIGADE)!;
    expect(brigade.closed).toBeGreaterThanOrEqual(50);
  });
});
