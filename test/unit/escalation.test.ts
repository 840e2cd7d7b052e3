import { describe, expect, it } from 'vitest';
import { addWorkingHours, DEFAULT_CALENDAR } from '#shared/domain/calendar';
import type { Case } from '#shared/domain/cases/model';
import { isOverdue } from '#shared/domain/cases/views';
import { DEFAULT_ESCALATION_POLICY, escalateStep, MAX_WAIT_MS, planTimer, warnStep } from '#shared/domain/escalation/timer';
import { DepartmentTree } from '#shared/domain/reference/departments';
import { loadDemoCity } from '#infra/local/seed';

const tree = new DepartmentTree(loadDemoCity().departments);
const policy = DEFAULT_ESCALATION_POLICY; // warn at 80 %, then every 4 working hours, up to level 3
// Monday 2026-06-01 09:00 in Shanghai; 沿街晾挂 has 7 working hours (one working day).
const dispatchedAt = new Date('2026-06-01T01:00:00.000Z');
const dueAt = addWorkingHours(DEFAULT_CALENDAR, dispatchedAt, 7);

const dispatched = (changes: Partial<Case> = {}): Case => ({
  id: 'case-1',
  caseNumber: '2026-000007',
  status: 'dispatched',
  channel: 'app',
  description: '沿街晾挂',
  dispatchPath: ['city-bureau', 'yanfeng-district-bureau', 'yanfeng-street-brigade'],
  assignment: { departmentId: 'yanfeng-street-brigade', departmentName: '雁峰街道城管大队', assigneeId: 'handler-1', assigneeName: '赵磊' },
  firstDispatchedAt: dispatchedAt.toISOString(),
  dueAt: dueAt.toISOString(),
  timerSeq: 5,
  escalationLevel: 0,
  reworkCount: 0,
  beforePhotoKeys: [],
  afterPhotoKeys: [],
  createdAt: dispatchedAt.toISOString(),
  updatedAt: dispatchedAt.toISOString(),
  version: 5,
  eventCount: 5,
  ...changes,
});

describe('planTimer: what a deadline timer waits for', () => {
  it('warns at 80 % of the working-time limit and escalates at the deadline', () => {
    expect(planTimer(dispatched(), 5, DEFAULT_CALENDAR, policy, dispatchedAt)).toEqual({
      active: true,
      warn: true,
      warnAt: addWorkingHours(DEFAULT_CALENDAR, dispatchedAt, 7 * 0.8).toISOString(),
      level: 1,
      escalateAt: dueAt.toISOString(),
      recheck: false,
    });
  });

  it('gives no warning once the deadline has passed (a late re-dispatch): straight to the escalation', () => {
    expect(planTimer(dispatched(), 5, DEFAULT_CALENDAR, policy, new Date(dueAt.getTime() + 1))).toMatchObject({ active: true, warn: false, level: 1 });
  });

  it('wakes up to plan again when the next step is more than 20 days away (long limits, local Node timers)', () => {
    const longDue = addWorkingHours(DEFAULT_CALENDAR, dispatchedAt, 600); // a category limit of 600 working hours
    const plan = planTimer(dispatched({ dueAt: longDue.toISOString() }), 5, DEFAULT_CALENDAR, policy, dispatchedAt);
    expect(plan).toMatchObject({ active: true, warn: true, recheck: true, recheckAt: new Date(dispatchedAt.getTime() + MAX_WAIT_MS).toISOString() });
    const later = new Date(longDue.getTime() - 3600_000);
    expect(planTimer(dispatched({ dueAt: longDue.toISOString(), warnedAt: later.toISOString() }), 5, DEFAULT_CALENDAR, policy, later)).toMatchObject({ recheck: false, warn: false });
  });

  it('continues the same schedule for a fresh timer: level n at deadline + (n − 1) × 4 working hours, no second warning', () => {
    const plan = planTimer(dispatched({ escalationLevel: 1, warnedAt: dueAt.toISOString(), overdueSince: dueAt.toISOString() }), 5, DEFAULT_CALENDAR, policy, dueAt);
    expect(plan).toMatchObject({ active: true, warn: false, level: 2, escalateAt: addWorkingHours(DEFAULT_CALENDAR, dueAt, 4).toISOString() });
  });

  it('escalates a case reworked long after its deadline once now, then one interval later (no burst of levels)', () => {
    const escalatedAt = dueAt; // level 1 at the deadline; the case was then handled, and reworked 10 working hours later
    const reworkedAt = addWorkingHours(DEFAULT_CALENDAR, dueAt, 10);
    const reworked = dispatched({ escalationLevel: 1, warnedAt: dueAt.toISOString(), overdueSince: dueAt.toISOString(), escalatedAt: escalatedAt.toISOString(), timerSeq: 9 });
    const plan = planTimer(reworked, 9, DEFAULT_CALENDAR, policy, reworkedAt);
    expect(plan).toMatchObject({ level: 2, escalateAt: addWorkingHours(DEFAULT_CALENDAR, dueAt, 4).toISOString() }); // past: at once
    const level2 = escalateStep(reworked, 9, 2, reworkedAt, tree)!.next;
    expect(level2.escalatedAt).toBe(reworkedAt.toISOString());
    // Level 3 was scheduled at deadline + 8 h (also past) — but comes one interval after level 2.
    expect(planTimer(level2, 9, DEFAULT_CALENDAR, policy, reworkedAt)).toMatchObject({ level: 3, escalateAt: addWorkingHours(DEFAULT_CALENDAR, reworkedAt, 4).toISOString() });
  });

  it('ends for a handled, closed or returned case, a superseded timer, a case without deadline and after the last level', () => {
    const ended = (c: Case | undefined, seq = 5) => planTimer(c, seq, DEFAULT_CALENDAR, policy, dispatchedAt);
    expect(ended(dispatched({ status: 'handled' }))).toEqual({ active: false, reason: 'case is handled' });
    expect(ended(dispatched({ status: 'closed' }))).toMatchObject({ active: false });
    expect(ended(dispatched({ status: 'filed' }))).toMatchObject({ active: false });
    expect(ended(dispatched(), 3)).toEqual({ active: false, reason: 'a newer dispatch, rework, extension or resume started another timer' });
    expect(ended(dispatched({ dueAt: undefined }))).toMatchObject({ active: false });
    expect(ended(undefined)).toEqual({ active: false, reason: 'no such case' });
    expect(ended(dispatched({ escalationLevel: 3 }))).toEqual({ active: false, reason: 'highest escalation level reached' });
  });
});

describe('warnStep (黄灯)', () => {
  const at = new Date(dueAt.getTime() - 3600_000);

  it('adds one system `warn` event for the assignee and bumps version and timeline', () => {
    const step = warnStep(dispatched(), 5, at)!;
    expect(step.next).toMatchObject({ warnedAt: at.toISOString(), version: 6, eventCount: 6, escalationLevel: 0, status: 'dispatched' });
    expect(step.event).toMatchObject({
      caseId: 'case-1',
      seq: 6,
      action: 'warn',
      fromStatus: 'dispatched',
      toStatus: 'dispatched',
      actor: { id: 'system', role: 'system' },
      departmentId: 'yanfeng-street-brigade',
      assigneeId: 'handler-1',
      internal: true,
    });
    expect(step.event.note).toContain('临近处置时限');
  });

  it('does nothing twice, nor for a superseded timer or a case no longer dispatched', () => {
    expect(warnStep(dispatched({ warnedAt: at.toISOString() }), 5, at)).toBeUndefined();
    expect(warnStep(dispatched(), 4, at)).toBeUndefined();
    expect(warnStep(dispatched({ status: 'handled' }), 5, at)).toBeUndefined();
    expect(warnStep(dispatched({ escalationLevel: 1, overdueSince: dueAt.toISOString() }), 5, at)).toBeUndefined();
    // After an extension the case is no longer overdue: its warning is planned again, level kept.
    expect(warnStep(dispatched({ escalationLevel: 1, clockStartLevel: 1 }), 5, at)?.next).toMatchObject({ escalationLevel: 1, warnedAt: at.toISOString() });
    expect(warnStep(dispatched(), 5, new Date(dueAt.getTime() + 1))).toBeUndefined(); // too late to warn
  });
});

describe('escalateStep (红灯)', () => {
  const at = new Date(dueAt.getTime() + 1000);

  it('marks the case overdue at level 1 and reports it to the parent department', () => {
    const step = escalateStep(dispatched(), 5, 1, at, tree)!;
    expect(step.next).toMatchObject({ escalationLevel: 1, overdueSince: at.toISOString(), version: 6, eventCount: 6 });
    expect(step.event).toMatchObject({ action: 'escalate', seq: 6, actor: { role: 'system' }, departmentId: 'yanfeng-district-bureau', escalationLevel: 1 });
    expect(step.event.note).toContain('第1级超期升级：报雁峰区城管执法局及指挥中心');
    expect(isOverdue(step.next, new Date(dueAt.getTime() - 1))).toBe(true); // marked, whatever the clock says
    expect(step.counters).toEqual({ case: { escalated: 1 }, department: { id: 'yanfeng-street-brigade', add: { escalated: 1 } } });
  });

  it('goes one level further up each time, capped at the top, keeping the first overdue time', () => {
    const level1 = escalateStep(dispatched(), 5, 1, at, tree)!.next;
    const later = new Date(at.getTime() + 4 * 3600_000);
    const level2 = escalateStep(level1, 5, 2, later, tree)!;
    expect(level2.event.departmentId).toBe('city-bureau');
    expect(level2.next.overdueSince).toBe(at.toISOString());
    const level3 = escalateStep(level2.next, 5, 3, later, tree)!;
    expect(level3.event.departmentId).toBe('city-bureau');
  });

  it('never escalates a level twice (a retried task), nor a superseded timer or a handled case', () => {
    expect(escalateStep(dispatched({ escalationLevel: 1 }), 5, 1, at, tree)).toBeUndefined();
    expect(escalateStep(dispatched(), 4, 1, at, tree)).toBeUndefined();
    expect(escalateStep(dispatched({ status: 'handled' }), 5, 1, at, tree)).toBeUndefined();
  });
});
