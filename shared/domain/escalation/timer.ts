import type { WorkingCalendar } from '#shared/domain/calendar';
import { clockOf } from '#shared/domain/cases/deadline';
import type { Case, CaseEvent } from '#shared/domain/cases/model';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import type { StepCounters } from '#shared/domain/cases/counters';

/**
 * The deadline timer of a dispatched case: warn (黄灯) at a fraction of the limit, escalate (红灯, 超期升级)
 * at the deadline to the parent department and the center, then again every `intervalWorkingHours` one
 * level further up, until `maxLevel`. Hours are the case's clock: working hours, or clock hours for an
 * urgent case (紧急).
 */
export interface EscalationPolicy {
  warnAtFraction: number;
  intervalWorkingHours: number;
  maxLevel: number;
}

export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = { warnAtFraction: 0.8, intervalWorkingHours: 4, maxLevel: 3 };

/**
 * What a timer execution waits for next. Timestamps are ISO instants (Step Functions `TimestampPath`).
 * `recheckAt`: the next step is further away than {@link MAX_WAIT_MS}, so the timer wakes up then and
 * plans again (long limits stay inside one execution's year and a local Node timer's 24.8 days).
 */
export type TimerPlan =
  | { active: false; reason: string }
  | { active: true; warn: boolean; warnAt: string; level: number; escalateAt: string; recheck: boolean; recheckAt?: string };

export const MAX_WAIT_MS = 20 * 24 * 3600 * 1000;

export const SYSTEM_ACTOR: CaseEvent['actor'] = { id: 'system', role: 'system', displayName: '系统（时限监控）' };

/** Why a timer of `timerSeq` has nothing (more) to do with the case, or undefined while it is current. */
function inactiveReason(c: Case | undefined, timerSeq: number): string | undefined {
  if (!c) return 'no such case';
  if (c.status !== 'dispatched') return `case is ${c.status}`;
  if (c.timerSeq !== timerSeq) return 'a newer dispatch, rework, extension or resume started another timer';
  if (!c.dueAt || !c.firstDispatchedAt) return 'case has no deadline';
  return undefined;
}

/**
 * The timer's next steps, computed from the case alone, so a fresh timer (re-dispatch, rework, a
 * restarted local platform) continues the same schedule instead of restarting it: escalation level
 * `n` is due at deadline + (n − 1 − b) × interval (but at least an interval after the last one), whoever's
 * timer gets there — `b` being the level the deadline's clock started at (0 at the first dispatch; the
 * level reached before an extension or a resume, whose new deadline brings the next level). The warning
 * comes at `warnAtFraction` of the time from the clock's start to the deadline.
 */
export function planTimer(c: Case | undefined, timerSeq: number, calendar: WorkingCalendar, policy: EscalationPolicy, now: Date): TimerPlan {
  const reason = inactiveReason(c, timerSeq);
  if (reason) return { active: false, reason };
  const { dueAt, firstDispatchedAt, escalationLevel } = c as Case & { dueAt: string; firstDispatchedAt: string };
  const level = escalationLevel + 1;
  if (level > policy.maxLevel) return { active: false, reason: 'highest escalation level reached' };
  const clock = clockOf(calendar, c!);
  const due = new Date(dueAt);
  const start = new Date(c!.clockStartedAt ?? firstDispatchedAt);
  const limitHours = Math.max(0, clock.between(start, due));
  const warnAt = clock.add(start, limitHours * policy.warnAtFraction);
  // Level n is due at deadline + (n − 1 − b) × interval, and never sooner than one interval after the
  // last escalation: a case reworked long after its deadline escalates once now, not several levels at once.
  const interval = policy.intervalWorkingHours;
  const steps = level - 1 - (c!.clockStartLevel ?? 0);
  const scheduled = steps <= 0 ? due : clock.add(due, steps * interval);
  const spaced = c!.escalatedAt ? clock.add(new Date(c!.escalatedAt), interval) : scheduled;
  const escalateAt = new Date(Math.max(scheduled.getTime(), spaced.getTime()));
  // No warning once the deadline has passed (a late re-dispatch): the escalation says it all. An
  // extension or a resume with time left plans the warning again.
  const warn = !c!.overdueSince && !c!.warnedAt && now < due;
  const next = (warn ? warnAt : escalateAt).getTime();
  const recheck = next - now.getTime() > MAX_WAIT_MS;
  return {
    active: true,
    warn,
    warnAt: warnAt.toISOString(),
    level,
    escalateAt: escalateAt.toISOString(),
    recheck,
    ...(recheck ? { recheckAt: new Date(now.getTime() + MAX_WAIT_MS).toISOString() } : {}),
  };
}

const shanghaiTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/**
 * 黄灯 — the warning: once per case, only while the timer is current and nothing was escalated yet.
 * Returns the next case and its `warn` event, or undefined when there is nothing to warn about.
 */
export function warnStep(c: Case | undefined, timerSeq: number, at: Date): { next: Case; event: CaseEvent } | undefined {
  if (inactiveReason(c, timerSeq) || c!.warnedAt || c!.overdueSince) return undefined;
  if (at.getTime() >= Date.parse(c!.dueAt!)) return undefined; // too late to warn: the escalation follows
  const current = c!;
  const next: Case = { ...current, warnedAt: at.toISOString(), updatedAt: at.toISOString(), version: current.version + 1, eventCount: current.eventCount + 1 };
  const event: CaseEvent = {
    caseId: current.id,
    seq: next.eventCount,
    at: at.toISOString(),
    action: 'warn',
    fromStatus: 'dispatched',
    toStatus: 'dispatched',
    actor: SYSTEM_ACTOR,
    note: `临近处置时限（${shanghaiTime(current.dueAt!)}），请尽快处置`,
    internal: true,
    departmentId: current.assignment?.departmentId,
    ...(current.assignment?.assigneeId ? { assigneeId: current.assignment.assigneeId } : {}),
  };
  return { next, event };
}

/**
 * 红灯 — 超期升级, escalation to `level` (automatic; 督办 is the manual supervision by a leader or agent): the case is marked overdue and reported `level` steps up the hierarchy
 * from the department holding it (capped at the top), and to the center. A level already reached is
 * not escalated again, so a retried task cannot escalate twice.
 */
export function escalateStep(c: Case | undefined, timerSeq: number, level: number, at: Date, tree: DepartmentTree): { next: Case; event: CaseEvent; counters: StepCounters } | undefined {
  if (inactiveReason(c, timerSeq) || c!.escalationLevel >= level) return undefined;
  const current = c!;
  const holder = current.assignment?.departmentId;
  const chain = holder && tree.get(holder) ? tree.ancestors(holder) : [];
  const target = chain[Math.min(level, chain.length) - 1];
  const next: Case = {
    ...current,
    escalationLevel: level,
    overdueSince: current.overdueSince ?? at.toISOString(),
    escalatedAt: at.toISOString(),
    updatedAt: at.toISOString(),
    version: current.version + 1,
    eventCount: current.eventCount + 1,
  };
  const event: CaseEvent = {
    caseId: current.id,
    seq: next.eventCount,
    at: at.toISOString(),
    action: 'escalate',
    fromStatus: 'dispatched',
    toStatus: 'dispatched',
    actor: SYSTEM_ACTOR,
    note: `已超过处置时限（${shanghaiTime(current.dueAt!)}），第${level}级超期升级：报${target ? `${target.name}及` : ''}指挥中心`,
    internal: true,
    ...(target ? { departmentId: target.id } : {}),
    escalationLevel: level,
  };
  // 超期升级 counts for the case's scopes and for the department that let the deadline pass.
  const counters: StepCounters = { case: { escalated: 1 }, ...(holder ? { department: { id: holder, add: { escalated: 1 } } } : {}) };
  return { next, event, counters };
}
