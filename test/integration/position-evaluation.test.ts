import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '#shared/data/case-store';
import { createIdentityStore } from '#shared/data/identity-store';
import { createPhotoStore } from '#shared/data/photo-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { createStatsReader } from '#shared/data/stats-store';
import { reportCase, transition, type CaseDeps } from '#shared/domain/cases/use-cases';
import type { Principal } from '#shared/domain/identity/model';
import type { Role } from '#shared/domain/roles';
import { getStaffStats, type StatsDeps } from '#shared/domain/stats/use-cases';
import { loadDemoCity } from '#infra/local/seed';
import { readyPhoto } from '../support/photos.ts';
import { createTestTable } from '../support/table.ts';

/**
 * 岗位评价 from a known day of work, every figure computed by hand. Working time on the demo calendar:
 * 08:30–12:00 and 14:30–18:00; the filing and dispatch limits are 1 working hour (the defaults).
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
let cases: CaseDeps;
let stats: StatsDeps;
let clock = 0;
const at = (local: string) => (clock = Date.parse(`2026-11-24T${local}:00+08:00`));

const CITY = 'city-bureau';
const DISTRICT = 'yanfeng-district-bureau';
const BRIGADE = 'yanfeng-street-brigade';
const person = (name: string, roles: Role[], departmentId?: string): Principal => ({ userId: `${name}-${randomUUID()}`, roles, displayName: name, ...(departmentId ? { departmentId } : {}) });
const s1 = person('监督员甲', ['supervisor'], CITY);
const s2 = person('监督员乙', ['supervisor'], CITY);
const a1 = person('坐席员甲', ['agent'], CITY);
const a2 = person('坐席员乙', ['agent'], CITY);
const d1 = person('市局派遣员', ['dispatcher'], CITY);
const d2 = person('区局派遣员', ['dispatcher'], DISTRICT);
const d3 = person('大队派遣员', ['dispatcher'], BRIGADE);
const handler = person('处置人员', ['handler'], BRIGADE);
const leader = person('领导', ['leader'], CITY);
const citizen: Principal = { userId: `citizen-${randomUUID()}`, roles: ['citizen'], displayName: '市民' };

beforeAll(async () => {
  table = await createTestTable();
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  const users = createIdentityStore(table.db);
  let n = 0;
  for (const p of [s1, s2, a1, a2, d1, d2, d3, handler, leader]) {
    await users.createUser({ id: p.userId, phone: `+861370000${String(++n).padStart(4, '0')}`, displayName: p.displayName, roles: p.roles, departmentId: p.departmentId, status: 'active', createdAt: new Date().toISOString() });
  }
  const cache = createReferenceCache(reference);
  cases = { store: createCaseStore(table.db), reference: cache, users, photos: { store: createPhotoStore(table.db) }, now: () => new Date(clock), newId: () => randomUUID() };
  stats = { readDays: createStatsReader(table.db), reference: cache, staffWithRole: (role) => users.listAllWithRole(role), now: () => new Date(clock) };
});
afterAll(async () => table.drop());

const act = (who: Principal, id: string, input: Parameters<typeof transition>[3]) => transition(cases, who, id, input);
const report = async (who: Principal) => (await reportCase(cases, who, { description: '路边垃圾堆放', location: { lat: 26.879, lng: 112.613 } })).id;

describe('position evaluation (岗位评价) from a known day, checked figure by figure', () => {
  it('scores supervisors, agents and dispatchers as docs/evaluation.md defines', async () => {
    // Tuesday 24 November 09:00: supervisor 甲 reports three problems on patrol, 乙 one; a citizen one.
    at('09:00');
    const p1 = await report(s1);
    const p2 = await report(s1);
    const p3 = await report(s1);
    const p4 = await report(s2);
    const c1 = await report(citizen);

    // 核实: P3 to 甲 (then rejected before the answer: the check is cancelled, it leaves 甲's checks);
    // P4 to 乙, answered within the hour.
    at('09:05');
    await act(a1, p3, { action: 'field-check', kind: 'verify-report', supervisorId: s1.userId });
    at('09:10');
    await act(a1, p4, { action: 'field-check', kind: 'verify-report', supervisorId: s2.userId });
    at('09:20');
    await act(a1, p3, { action: 'reject', reason: '不属于城管职责' });
    at('09:50');
    await act(s2, p4, { action: 'field-check-answer', confirmed: true, note: '属实' });

    // Filing: 坐席员甲 files P1 on time (30 min) and P2 late (1.5 h); 乙 files C1 on time (40 min)
    // and P4 late (2.5 h).
    at('09:30');
    await act(a1, p1, { action: 'file', categoryCode: 'E0503' });
    at('09:40');
    await act(a2, c1, { action: 'file', categoryCode: 'E0503' });
    at('10:30');
    await act(a1, p2, { action: 'file', categoryCode: 'E0503' });
    at('11:30');
    await act(a2, p4, { action: 'file', categoryCode: 'E0503' });

    // P1 down the chain: city bureau on time (15 min), district late (1.5 h), brigade on time (10 min).
    at('09:45');
    await act(a1, p1, { action: 'dispatch', departmentId: CITY });
    at('10:00');
    await act(d1, p1, { action: 'dispatch', departmentId: DISTRICT });
    at('11:30');
    await act(d2, p1, { action: 'dispatch', departmentId: BRIGADE });
    at('11:40');
    await act(d3, p1, { action: 'dispatch', assigneeId: handler.userId });

    // P2: city bureau late (10:40 → 14:45 is 1 h 35 of working time), district on time, then the brigade
    // returns it: a wrong dispatch, counted against the district's dispatcher. P2 is then merged into P1.
    at('10:40');
    await act(a1, p2, { action: 'dispatch', departmentId: CITY });
    at('14:45');
    await act(d1, p2, { action: 'dispatch', departmentId: DISTRICT });
    at('15:00');
    await act(d2, p2, { action: 'dispatch', departmentId: BRIGADE });
    at('15:10');
    await act(d3, p2, { action: 'return', reason: '不属本大队辖区' });
    at('15:20');
    await act(a1, p2, { action: 'merge', intoCaseId: p1 });

    // C1 straight to the handler by the agent (not a dispatcher: not listed), done, 核查 by 甲 answered
    // late (due 15:10: 10:40 + 2 working hours), then closed.
    at('09:50');
    await act(a2, c1, { action: 'dispatch', departmentId: BRIGADE, assigneeId: handler.userId });
    at('10:30');
    await act(handler, c1, { action: 'complete', photoKeys: [await readyPhoto(table.db, handler.userId, 'after')] });
    at('10:40');
    await act(a2, c1, { action: 'field-check', kind: 'check-result', supervisorId: s1.userId });
    at('15:30');
    await act(s1, c1, { action: 'field-check-answer', confirmed: true });
    at('15:40');
    await act(a2, c1, { action: 'verify', approved: true });

    // P4 was filed by mistake: voided on 乙's request, decided by the leader.
    at('16:00');
    await act(a2, p4, { action: 'request', kind: 'void', reason: '误立案' });
    await act(leader, p4, { action: 'decide', approved: true });

    clock = Date.parse('2026-11-25T12:00:00+08:00');
    const range = { from: '2026-11-24', to: '2026-11-24' };
    const byName = (items: Array<{ displayName: string }>) => Object.fromEntries(items.map(({ displayName, ...rest }) => [displayName, rest]));

    const supervisors = byName((await getStaffStats(stats, { ...range, role: 'supervisor' })).items);
    expect(supervisors['监督员甲']).toMatchObject({ reported: 3, validReports: 2, validReportRate: 0.6667, checks: 1, checksOnTime: 0, onTimeCheckRate: 0 });
    expect(supervisors['监督员乙']).toMatchObject({ reported: 1, validReports: 1, validReportRate: 1, checks: 1, checksOnTime: 1, onTimeCheckRate: 1 });

    const agents = byName((await getStaffStats(stats, { ...range, role: 'agent' })).items);
    expect(agents['坐席员甲']).toMatchObject({ filed: 2, filedOnTime: 1, onTimeFilingRate: 0.5, voided: 1, accurateFilingRate: 0.5 });
    expect(agents['坐席员乙']).toMatchObject({ filed: 2, filedOnTime: 1, onTimeFilingRate: 0.5, voided: 1, accurateFilingRate: 0.5 });

    const dispatchers = await getStaffStats(stats, { ...range, role: 'dispatcher' });
    expect(dispatchers.items.map((i) => i.displayName)).toEqual(['市局派遣员', '区局派遣员', '大队派遣员']);
    const d = byName(dispatchers.items);
    expect(d['市局派遣员']).toMatchObject({ departmentName: '市城管执法局', dispatched: 2, dispatchedOnTime: 1, onTimeDispatchRate: 0.5, returned: 0, accurateDispatchRate: 1 });
    expect(d['区局派遣员']).toMatchObject({ dispatched: 2, dispatchedOnTime: 1, onTimeDispatchRate: 0.5, returned: 1, accurateDispatchRate: 0.5 });
    expect(d['大队派遣员']).toMatchObject({ dispatched: 1, dispatchedOnTime: 1, onTimeDispatchRate: 1, returned: 0, accurateDispatchRate: 1 });

    // Another day has nothing: rates without a denominator are null, not 0.
    const wednesday = byName((await getStaffStats(stats, { from: '2026-11-25', to: '2026-11-25', role: 'agent' })).items);
    expect(wednesday['坐席员甲']).toEqual(expect.objectContaining({ filed: 0, onTimeFilingRate: null, accurateFilingRate: null }));
  });
});
