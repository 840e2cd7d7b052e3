import { createCursorCodec } from '#shared/adapters/cursors';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '#shared/data/case-store';
import { createIdentityStore } from '#shared/data/identity-store';
import { createPhotoStore } from '#shared/data/photo-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { createStatsReader } from '#shared/data/stats-store';
import { addWorkingHours, DEFAULT_CALENDAR } from '#shared/domain/calendar';
import { localDay } from '#shared/domain/cases/counters';
import type { Case } from '#shared/domain/cases/model';
import type { Counter } from '#shared/domain/cases/ports';
import { listQueue, reportCase, transition, type CaseDeps, type TransitionInput } from '#shared/domain/cases/use-cases';
import { escalateStep, planTimer, DEFAULT_ESCALATION_POLICY } from '#shared/domain/escalation/timer';
import { ConflictError, ForbiddenError, InvalidTransitionError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import { sumDays, summarize } from '#shared/domain/stats/evaluation';
import { loadDemoCity } from '#infra/local/seed';
import { readyPhoto } from '../support/photos.ts';
import { createTestTable } from '../support/table.ts';

/**
 * The exception paths (延期 · 挂账 · 作废 · 督办 · 紧急) through the transition use case on DynamoDB Local:
 * what each decision changes, counts and leaves alone, the rules around requests, the races, and a
 * property over random action sequences that the deadline cohort stays consistent.
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
let deps: CaseDeps;
let clock = Date.now();
/** Sets the clock to a Shanghai local time, e.g. at('2026-11-24 09:00'). */
const at = (local: string) => (clock = Date.parse(`${local.replace(' ', 'T')}:00+08:00`));
const BRIGADE = 'yanfeng-street-brigade';
const person = (role: Principal['roles'][number], departmentId?: string): Principal => ({ userId: `${role}-${randomUUID().slice(0, 8)}`, roles: [role], departmentId, displayName: `${role} user` });
const citizen = person('citizen');
const agent = person('agent', 'city-bureau');
const otherAgent = person('agent', 'city-bureau');
const leader = person('leader', 'city-bureau');
const handler = person('handler', BRIGADE);
const brigadeDispatcher = person('dispatcher', BRIGADE);
const districtDispatcher = person('dispatcher', 'yanfeng-district-bureau');

beforeAll(async () => {
  table = await createTestTable();
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  const users = createIdentityStore(table.db);
  await users.createUser({ id: handler.userId, phone: '+8613700009876', displayName: handler.displayName, roles: ['handler'], departmentId: BRIGADE, status: 'active', createdAt: new Date().toISOString() });
  deps = {
    store: createCaseStore(table.db),
    reference: createReferenceCache(reference),
    users,
    photos: { store: createPhotoStore(table.db) },
    now: () => new Date(clock),
    newId: () => randomUUID(),
  };
});
afterAll(async () => table.drop());

const act = (who: Principal, id: string, input: TransitionInput & { expectedVersion?: number }) => transition(deps, who, id, input);
const load = async (id: string) => (await deps.store.getCaseWithTimeline(id))!;

/**
 * A filed case of `categoryCode` (normal or urgent) in a grid of its own, so that its counters
 * (scope `grid#…`) are its alone; created directly (nothing counted yet).
 */
async function filedCase(categoryCode = 'E0503', priority: 'normal' | 'urgent' = 'normal'): Promise<Case> {
  const id = randomUUID();
  const now = new Date(clock).toISOString();
  const c: Case = {
    id,
    status: 'filed',
    channel: 'app',
    description: '测试案件描述内容',
    reporterId: citizen.userId,
    gridId: `t-${id.slice(0, 8)}`,
    gridName: '测试网格',
    categoryCode,
    categoryName: '测试',
    caseNumber: '2026-999999',
    priority,
    extensionCount: 0,
    supervisionCount: 0,
    dispatchPath: [],
    escalationLevel: 0,
    reworkCount: 0,
    beforePhotoKeys: [],
    afterPhotoKeys: [],
    createdAt: now,
    updatedAt: now,
    version: 2,
    eventCount: 1,
  };
  await deps.store.createCase({ case: c, event: { caseId: id, seq: 1, at: now, action: 'report', toStatus: 'reported', actor: { id: citizen.userId, role: 'citizen', displayName: '市民' }, internal: false }, counters: [] });
  return c;
}

/** A filed case dispatched to the brigade's handler. */
async function dispatched(categoryCode = 'E0503', priority: 'normal' | 'urgent' = 'normal') {
  const { id } = await filedCase(categoryCode, priority);
  await act(agent, id, { action: 'dispatch', departmentId: BRIGADE, assigneeId: handler.userId });
  return (await deps.store.getCase(id))!;
}

/** The counters of a case's own grid on `day`. */
const countersOf = async (c: Case, day: string): Promise<Partial<Record<Counter, number>>> => (await createStatsReader(table.db)(`grid#${c.gridId}`, day, day))[0] ?? {};

describe('延期 extension', () => {
  it('moves dueAt by working hours, counts it, re-plans the timer and moves the due count to the new day', async () => {
    at('2026-11-24 09:00'); // Tuesday; 沿街晾挂 = 7 working hours → due Wednesday 09:00
    const c = await dispatched();
    expect(c.dueAt).toBe(new Date(Date.parse('2026-11-25T09:00:00+08:00')).toISOString());
    at('2026-11-24 10:00');
    const requested = await act(handler, c.id, { action: 'request', kind: 'extension', reason: '需要协调产权单位', hours: 14 });
    expect(requested.pendingRequest).toMatchObject({ kind: 'extension', hours: 14, requestedBy: { id: handler.userId, role: 'handler' } });
    const decided = await act(leader, c.id, { action: 'decide', approved: true, note: '同意' });
    // 14 working hours after Wednesday 09:00: Friday 09:00.
    expect(decided).toMatchObject({ status: 'dispatched', dueAt: new Date(Date.parse('2026-11-27T09:00:00+08:00')).toISOString(), extensionCount: 1 });
    expect(decided.pendingRequest).toBeUndefined();
    const after = await load(c.id);
    expect(after.timeline.map((e) => e.action)).toEqual(['report', 'dispatch', 'request', 'extend']);
    expect(after.case.timerSeq).toBe(4); // the extend event's: the dispatch's timer ends at its next check
    expect((await countersOf(c, '2026-11-25')).due ?? 0).toBe(0);
    expect(await countersOf(c, '2026-11-27')).toMatchObject({ due: 1 });
    expect(await countersOf(c, '2026-11-24')).toMatchObject({ extended: 1, dispatched: 1 });
  });

  it('clears overdue until the new deadline but keeps the escalation level and the past escalations', async () => {
    at('2026-11-24 09:00');
    const c = await dispatched();
    at('2026-11-25 10:00'); // an hour past the deadline: the timer escalates to level 1
    const tree = await deps.reference.departments();
    const escalation = escalateStep(c, c.timerSeq!, 1, new Date(clock), tree)!;
    expect(await deps.store.applyTransition({ expectedVersion: c.version, next: escalation.next, event: escalation.event, counters: [] })).toBe(true);
    await act(brigadeDispatcher, c.id, { action: 'request', kind: 'extension', reason: '材料未到', hours: 7 });
    // A dispatcher of the department above the holding one may decide an extension; the holder's own may not.
    await expect(act(brigadeDispatcher, c.id, { action: 'decide', approved: true })).rejects.toThrow(ForbiddenError);
    const decided = await act(districtDispatcher, c.id, { action: 'decide', approved: true });
    expect(decided).toMatchObject({ overdue: false, escalationLevel: 1, extensionCount: 1, dueAt: new Date(Date.parse('2026-11-26T09:00:00+08:00')).toISOString() });
    const stored = (await load(c.id)).case;
    expect(stored.overdueSince).toBeUndefined();
    expect((await load(c.id)).timeline.filter((e) => e.action === 'escalate')).toHaveLength(1);
    // The new timer plans level 2 at the NEW deadline (not one interval after it) and a warning before it.
    const plan = planTimer(stored, stored.timerSeq!, DEFAULT_CALENDAR, DEFAULT_ESCALATION_POLICY, new Date(clock));
    expect(plan).toMatchObject({ active: true, level: 2, escalateAt: stored.dueAt, warn: true });
  });

  it('counts clock hours for an urgent case', async () => {
    at('2026-11-24 09:00');
    const c = await dispatched('C0101', 'urgent');
    expect(c.dueAt).toBe(new Date(clock + 2 * 3600_000).toISOString());
    await act(handler, c.id, { action: 'request', kind: 'extension', reason: '需调运井盖', hours: 3 });
    const decided = await act(agent, c.id, { action: 'decide', approved: true });
    expect(decided.dueAt).toBe(new Date(clock + 5 * 3600_000).toISOString());
  });
});

describe('requests: one at a time, never self-decided, withdrawn when the case moves on', () => {
  it('refuses a second pending request (409), a decision by the requester (403) and a decision with nothing pending (409), writing nothing', async () => {
    at('2026-11-24 09:00');
    const c = await dispatched();
    await act(agent, c.id, { action: 'request', kind: 'void', reason: '重复立案' });
    const version = (await deps.store.getCase(c.id))!.version;
    await expect(act(handler, c.id, { action: 'request', kind: 'extension', reason: '再议', hours: 7 })).rejects.toThrow(ConflictError);
    await expect(act(agent, c.id, { action: 'decide', approved: true })).rejects.toThrow(ForbiddenError);
    expect((await deps.store.getCase(c.id))!.version).toBe(version);
    const declined = await act(otherAgent, c.id, { action: 'decide', approved: false, note: '不同意' });
    expect(declined).toMatchObject({ status: 'dispatched' });
    await expect(act(otherAgent, c.id, { action: 'decide', approved: true })).rejects.toThrow(InvalidTransitionError);
    expect((await load(c.id)).timeline.map((e) => e.action).slice(-2)).toEqual(['request', 'decline']);
  });

  it('withdraws a pending extension when the case is completed, and a pending suspension when it changes department', async () => {
    at('2026-11-24 09:00');
    const c = await dispatched();
    await act(handler, c.id, { action: 'request', kind: 'extension', reason: '等待配件', hours: 7 });
    const completed = await act(handler, c.id, { action: 'complete', photoKeys: [await readyPhoto(table.db, handler.userId, 'after')] });
    expect(completed.pendingRequest).toBeUndefined();
    const timeline = (await load(c.id)).timeline;
    expect(timeline.slice(-3).map((e) => [e.action, e.note ?? ''])).toEqual([['request', '等待配件'], ['decline', 'withdrawn'], ['complete', '']]);
    expect(timeline.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);

    const d = await dispatched();
    await act(brigadeDispatcher, d.id, { action: 'request', kind: 'suspension', reason: '待预算审批' });
    await act(agent, d.id, { action: 'dispatch', departmentId: 'yanfeng-district-bureau' });
    const moved = await load(d.id);
    expect(moved.case.pendingRequest).toBeUndefined();
    expect(moved.timeline.slice(-2).map((e) => [e.action, e.note])).toEqual([['decline', 'withdrawn'], ['dispatch', undefined]]);
    expect(moved.case.timerSeq).toBe(moved.timeline.at(-1)!.seq); // the dispatch's own timer, after the withdrawal
  });
});

describe('挂账 suspension and 恢复 resume', () => {
  it('stops the clock (never overdue, out of the due cohort) and gives back exactly the working time left', async () => {
    at('2026-11-24 09:00');
    const c = await dispatched(); // due Wednesday 09:00
    at('2026-11-24 15:00'); // 09:00–12:00 and 14:30–15:00 used: 3.5 working hours left
    await act(handler, c.id, { action: 'request', kind: 'suspension', reason: '待财政资金' });
    const suspended = await act(leader, c.id, { action: 'decide', approved: true });
    expect(suspended).toMatchObject({ status: 'suspended', overdue: false });
    expect((await deps.store.getCase(c.id))!.remainingHours).toBe(3.5);
    expect(await countersOf(c, '2026-11-25')).toMatchObject({ due: 0 });
    // The timer finds a suspended case and ends; an escalation can no longer happen.
    const stored = (await deps.store.getCase(c.id))!;
    expect(planTimer(stored, stored.timerSeq!, DEFAULT_CALENDAR, DEFAULT_ESCALATION_POLICY, new Date(clock))).toEqual({ active: false, reason: 'case is suspended' });
    at('2026-11-30 10:00'); // Monday, a week later: still not overdue
    expect((await listQueue({ ...deps, cursors: createCursorCodec(new Uint8Array(32).fill(7)) }, agent, { status: 'suspended' }, { limit: 100 })).items.find((i) => i.id === c.id)).toMatchObject({ overdue: false });
    const resumed = await act(agent, c.id, { action: 'resume', note: '资金已到位' });
    // 3.5 working hours from Monday 10:00: 10:00–12:00 and 14:30–16:00.
    expect(resumed).toMatchObject({ status: 'dispatched', overdue: false, dueAt: new Date(Date.parse('2026-11-30T16:00:00+08:00')).toISOString() });
    expect(await countersOf(c, '2026-11-30')).toMatchObject({ due: 1 });
    expect(await countersOf(c, '2026-11-24')).toMatchObject({ suspended: 1 });
    expect((await load(c.id)).case.timerSeq).toBe((await load(c.id)).timeline.at(-1)!.seq);
  });

  it('resumes overdue when no time was left', async () => {
    at('2026-11-24 09:00');
    const c = await dispatched();
    at('2026-11-25 11:00'); // past the deadline (Wednesday 09:00)
    await act(handler, c.id, { action: 'request', kind: 'suspension', reason: '待处理' });
    await act(agent, c.id, { action: 'decide', approved: true });
    expect((await deps.store.getCase(c.id))!.remainingHours).toBe(0);
    at('2026-11-26 09:00');
    const resumed = await act(leader, c.id, { action: 'resume' });
    expect(resumed).toMatchObject({ status: 'dispatched', overdue: true, dueAt: new Date(clock).toISOString() });
  });
});

describe('作废 void and 督办 supervision', () => {
  it('voids a case out of every denominator: the due cohort and the dispatch count taken back', async () => {
    at('2026-11-24 09:00');
    const c = await dispatched();
    expect(await countersOf(c, '2026-11-25')).toMatchObject({ due: 1 });
    await act(brigadeDispatcher, c.id, { action: 'request', kind: 'void', reason: '误报' });
    const voided = await act(agent, c.id, { action: 'decide', approved: true });
    expect(voided.status).toBe('voided');
    expect(await countersOf(c, '2026-11-25')).toMatchObject({ due: 0 });
    expect(await countersOf(c, '2026-11-24')).toMatchObject({ voided: 1, dispatched: 0 });
    // Terminal: nothing more happens to it.
    await expect(act(leader, c.id, { action: 'supervise', note: '督办' })).rejects.toThrow(InvalidTransitionError);
    await expect(act(agent, c.id, { action: 'dispatch', departmentId: BRIGADE })).rejects.toThrow(InvalidTransitionError);
  });

  it('supervises a dispatched case: supervisionCount + 1, counted for the holding department, status unchanged', async () => {
    at('2026-11-24 09:00');
    const c = await dispatched();
    const department = async () => (await createStatsReader(table.db)(`department#${BRIGADE}`, '2026-11-24', '2026-11-24'))[0]?.supervised ?? 0;
    const before = await department();
    const supervised = await act(leader, c.id, { action: 'supervise', note: '群众反映强烈，请今日处置' });
    expect(supervised).toMatchObject({ status: 'dispatched', supervisionCount: 1 });
    const event = (await load(c.id)).timeline.at(-1)!;
    expect(event).toMatchObject({ action: 'supervise', departmentId: BRIGADE, assigneeId: handler.userId, actor: { role: 'leader' } });
    expect(await countersOf(c, '2026-11-24')).toMatchObject({ supervised: 1 });
    expect(await department()).toBe(before + 1);
  });
});

describe('紧急 urgent cases', () => {
  it('makes an urgent case dispatched at 22:00 on a Saturday due by clock hours, not on the next working day', async () => {
    at('2026-11-28 21:50'); // Saturday
    const { id } = await reportCase(deps, citizen, { description: '井盖丢失，夜间很危险', location: { lat: 26.879, lng: 112.613 } });
    await act(agent, id, { action: 'file', categoryCode: 'C0101', priority: 'urgent' });
    at('2026-11-28 22:00');
    const c = await act(agent, id, { action: 'dispatch', departmentId: BRIGADE, assigneeId: handler.userId });
    // 井盖丢失/移位: urgentHours 2 → Sunday 00:00 Shanghai (an ordinary case would be due Monday).
    expect(c).toMatchObject({ priority: 'urgent', dueAt: new Date(Date.parse('2026-11-29T00:00:00+08:00')).toISOString() });
    expect(addWorkingHours(DEFAULT_CALENDAR, new Date(clock), 2).toISOString() > c.dueAt!).toBe(true);
    // Warning and escalation follow clock hours too: warned at 80 % (23:36), escalated at the deadline.
    const stored = (await deps.store.getCase(id))!;
    expect(planTimer(stored, stored.timerSeq!, DEFAULT_CALENDAR, DEFAULT_ESCALATION_POLICY, new Date(clock))).toMatchObject({
      warnAt: new Date(Date.parse('2026-11-28T23:36:00+08:00')).toISOString(),
      escalateAt: c.dueAt,
    });
  });

  it('lists urgent cases first in the status queue, across pages', async () => {
    const gridless = randomUUID();
    at('2026-11-24 09:00');
    const ids: string[] = [];
    for (const priority of ['normal', 'normal', 'urgent', 'normal', 'urgent'] as const) {
      const { id } = await reportCase(deps, citizen, { description: `排序测试 ${gridless}`, location: { lat: 26.879, lng: 112.613 } });
      await act(agent, id, { action: 'file', categoryCode: 'E0503', priority });
      ids.push(id);
      clock += 60_000;
    }
    const seen: Array<{ id: string; priority: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await listQueue({ ...deps, cursors: createCursorCodec(new Uint8Array(32).fill(7)) }, agent, { status: 'filed' }, { limit: 2, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const ours = seen.filter((c) => ids.includes(c.id));
    expect(ours.map((c) => c.id)).toEqual([ids[2], ids[4], ids[0], ids[1], ids[3]]);
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length); // nobody twice
  });
});

describe('races', () => {
  it('lets exactly one of 10 parallel decisions through; the others get 409 and nothing is applied twice', async () => {
    at('2026-11-24 09:00');
    const c = await dispatched();
    await act(handler, c.id, { action: 'request', kind: 'extension', reason: '需要更多时间', hours: 7 });
    const deciders = Array.from({ length: 10 }, (_, i) => (i % 2 ? person('agent', 'city-bureau') : person('leader', 'city-bureau')));
    const results = await Promise.allSettled(deciders.map((who, i) => act(who, c.id, { action: 'decide', approved: i % 3 !== 0 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toSatisfy((e: unknown) => e instanceof ConflictError || e instanceof InvalidTransitionError);
    }
    const after = await load(c.id);
    expect(after.timeline.filter((e) => e.action === 'extend' || e.action === 'decline')).toHaveLength(1);
    expect(after.case.extensionCount ?? 0).toBeLessThanOrEqual(1);
  });

  it('leaves one outcome when a decision races the deadline timer: the suspension wins and the timer ends', async () => {
    at('2026-11-24 09:00');
    const c = await dispatched();
    await act(handler, c.id, { action: 'request', kind: 'suspension', reason: '待审批' });
    at('2026-11-25 10:00');
    const tree = await deps.reference.departments();
    // The timer's escalation lands between the decision's read and its write.
    let raced = false;
    const racing: CaseDeps = {
      ...deps,
      store: {
        ...deps.store,
        applyTransition: async (args) => {
          if (!raced) {
            raced = true;
            const current = (await deps.store.getCase(c.id))!;
            const step = escalateStep(current, current.timerSeq!, 1, new Date(clock), tree)!;
            expect(await deps.store.applyTransition({ expectedVersion: current.version, next: step.next, event: step.event, counters: [] })).toBe(true);
          }
          return deps.store.applyTransition(args);
        },
      },
    };
    const decided = await transition(racing, agent, c.id, { action: 'decide', approved: true });
    expect(decided).toMatchObject({ status: 'suspended', overdue: false, escalationLevel: 1 });
    const after = await load(c.id);
    expect(after.timeline.map((e) => e.action).slice(-3)).toEqual(['request', 'escalate', 'suspend']);
    // The timer's next step finds the case suspended and does nothing.
    expect(escalateStep(after.case, after.case.timerSeq!, 2, new Date(clock + 10 * 3600_000), tree)).toBeUndefined();
  });
});

describe('the deadline cohort stays consistent under any sequence of actions', () => {
  type Move = { kind: 'dispatch' | 'complete' | 'close' | 'rework' | 'extend' | 'suspend' | 'resume' | 'void' | 'wait'; target: number; hours: number };
  const move = fc.record({
    kind: fc.constantFrom<Move['kind']>('dispatch', 'complete', 'close', 'rework', 'extend', 'suspend', 'resume', 'void', 'wait', 'wait'),
    target: fc.nat(3),
    hours: fc.integer({ min: 1, max: 30 }),
  });

  it('keeps 0 ≤ closureRate ≤ 1 and due = closed on time + closed late + open past deadline (random sequences)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(move, { minLength: 5, maxLength: 18 }), async (moves) => {
        at('2026-11-23 09:00');
        const ids: string[] = [];
        // Four filed cases (one urgent), each in a grid of its own: the run's counters are theirs alone.
        for (let i = 0; i < 4; i++) ids.push((await filedCase(i % 2 ? 'E0503' : 'C0101', i === 3 ? 'urgent' : 'normal')).id);
        for (const m of moves) {
          const id = ids[m.target]!;
          const step = async (): Promise<unknown> => {
            switch (m.kind) {
              case 'wait': return (clock += m.hours * 3600_000);
              case 'dispatch': return act(agent, id, { action: 'dispatch', departmentId: BRIGADE, assigneeId: handler.userId });
              case 'complete': return act(handler, id, { action: 'complete', photoKeys: [await readyPhoto(table.db, handler.userId, 'after')] });
              case 'close': return act(agent, id, { action: 'verify', approved: true });
              case 'rework': return act(agent, id, { action: 'verify', approved: false });
              case 'extend':
                await act(handler, id, { action: 'request', kind: 'extension', reason: '延期', hours: m.hours });
                return act(leader, id, { action: 'decide', approved: true });
              case 'suspend':
                await act(handler, id, { action: 'request', kind: 'suspension', reason: '挂账' });
                return act(leader, id, { action: 'decide', approved: true });
              case 'resume': return act(leader, id, { action: 'resume' });
              case 'void':
                await act(agent, id, { action: 'request', kind: 'void', reason: '作废' });
                return act(leader, id, { action: 'decide', approved: true });
            }
          };
          // Moves that do not apply in the case's status are refused (and change nothing): skip them,
          // after declining a request the move left pending.
          await step().catch(async () => {
            const c = (await deps.store.getCase(id))!;
            if (c.pendingRequest) await act(otherAgent, id, { action: 'decide', approved: false }).catch(() => undefined);
          });
        }
        clock += 40 * 24 * 3600_000; // every deadline has passed
        const cohortUntil = localDay(new Date(clock - 86_400_000));
        const cases = await Promise.all(ids.map(async (id) => (await deps.store.getCase(id))!));
        const days = (await Promise.all(cases.map((c) => createStatsReader(table.db)(`grid#${c.gridId}`, '2026-01-01', '2027-12-31')))).flat();
        const totals = sumDays(days, cohortUntil);
        const summary = summarize(totals);
        const inCohort = (c: Case) => c.firstDispatchedAt !== undefined && c.dueAt !== undefined && c.status !== 'voided' && c.status !== 'suspended';
        const closed = cases.filter((c) => inCohort(c) && c.status === 'closed');
        const closedOnTime = closed.filter((c) => Date.parse(c.completedAt!) <= Date.parse(c.dueAt!)).length;
        const openPastDeadline = cases.filter((c) => inCohort(c) && c.status !== 'closed').length;
        expect(summary.closureRate === null || (summary.closureRate >= 0 && summary.closureRate <= 1)).toBe(true);
        expect(totals.due).toBe(cases.filter(inCohort).length);
        expect(totals.dueClosedOnTime).toBe(closedOnTime);
        expect(totals.due).toBe(totals.dueClosedOnTime + (totals.dueClosed - totals.dueClosedOnTime) + openPastDeadline);
      }),
      { numRuns: 12 },
    );
  }, 600_000);
});
