import type { WorkingCalendar } from '#shared/domain/calendar';
import type { Case, CaseEvent } from '#shared/domain/cases/model';
import type { CaseStore } from '#shared/domain/cases/ports';
import { counterDeltas, type StepCounters } from '#shared/domain/cases/counters';
import { ConflictError } from '#shared/domain/errors';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import { escalateStep, planTimer, warnStep, type EscalationPolicy, type TimerPlan } from './timer.ts';

export interface EscalationDeps {
  store: Pick<CaseStore, 'getCase' | 'applyTransition'>;
  departments(): Promise<DepartmentTree>;
  /** The working calendar (reference data, cached). */
  calendar(): Promise<WorkingCalendar>;
  policy: EscalationPolicy;
  now: () => Date;
}

/** A timer execution's identity: the case and the seq of the event (dispatch or rework) that started it. */
export interface TimerRef {
  caseId: string;
  timerSeq: number;
}

/** The execution name of a timer: unique per case and starting event, so a repeated start is a no-op. */
export const timerName = ({ caseId, timerSeq }: TimerRef) => `${caseId}-${timerSeq}`;

/** Task `Plan`: what the new timer waits for first. */
export async function planTask(deps: EscalationDeps, ref: TimerRef): Promise<TimerPlan> {
  const [current, calendar] = await Promise.all([deps.store.getCase(ref.caseId), deps.calendar()]);
  return planTimer(current, ref.timerSeq, calendar, deps.policy, deps.now());
}

/**
 * Applies a system step (warn or escalate) with the case's optimistic lock: a staff transition racing
 * it wins, and the step is recomputed on the fresh case (which may make it unnecessary).
 */
async function systemStep(
  deps: EscalationDeps,
  ref: TimerRef,
  step: (c: Case | undefined, at: Date) => { next: Case; event: CaseEvent; counters?: StepCounters } | undefined,
): Promise<TimerPlan> {
  const calendar = await deps.calendar();
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await deps.store.getCase(ref.caseId);
    const now = deps.now();
    const change = step(current, now);
    if (!change) return planTimer(current, ref.timerSeq, calendar, deps.policy, now);
    const counters = change.counters ? counterDeltas(change.next, now, change.counters) : [];
    const written = await deps.store.applyTransition({ expectedVersion: current!.version, next: change.next, event: change.event, counters });
    if (written) return planTimer(change.next, ref.timerSeq, calendar, deps.policy, now);
  }
  // Step Functions retries the task with backoff.
  throw new ConflictError('The case kept changing while the timer tried to update it');
}

/** Task `Warn` (黄灯): checks the case, adds the `warn` event; returns the plan that follows. */
export function warnTask(deps: EscalationDeps, ref: TimerRef): Promise<TimerPlan> {
  return systemStep(deps, ref, (c, at) => warnStep(c, ref.timerSeq, at));
}

/** Task `Escalate` (红灯): checks the case, escalates to `level`; returns the plan that follows. */
export async function escalateTask(deps: EscalationDeps, ref: TimerRef & { level: number }): Promise<TimerPlan> {
  const tree = await deps.departments();
  return systemStep(deps, ref, (c, at) => escalateStep(c, ref.timerSeq, ref.level, at, tree));
}
