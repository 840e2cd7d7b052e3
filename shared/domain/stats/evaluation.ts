import { COUNTERS, type Counter } from '#shared/domain/cases/ports';

export type Totals = Record<Counter, number>;

export const emptyTotals = (): Totals => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Totals;

/** Sums daily counter items. Cohort counters (`due*`) only count days up to `cohortUntil` (deadlines passed). */
export function sumDays(days: Array<{ day: string } & Partial<Totals>>, cohortUntil: string): Totals {
  const totals = emptyTotals();
  for (const item of days) {
    for (const counter of COUNTERS) {
      if (counter.startsWith('due') && item.day > cohortUntil) continue;
      totals[counter] += item[counter] ?? 0;
    }
  }
  return totals;
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null);

/**
 * The headline figures and rates (docs/evaluation.md has each formula and denominator):
 * 结案率 closure = dueClosed / due; 按期结案率 on-time closure = dueClosedOnTime / due (both over the
 * cases whose deadline fell in the range and has passed); 返工率 rework = reworked / handled;
 * 满意率 satisfaction = satisfied / rated; 延期率 extension = extended / dispatched; average handling =
 * handlingHours / closed. A rate with no denominator is null, not 0.
 */
export function summarize(t: Totals) {
  return {
    received: t.received,
    filed: t.filed,
    closed: t.closed,
    rejected: t.rejected,
    dispatched: t.dispatched,
    handled: t.handled,
    reworked: t.reworked,
    returned: t.returned,
    rated: t.rated,
    satisfied: t.satisfied,
    dueToClose: t.due,
    overdue: t.due - t.dueClosedOnTime,
    escalated: t.escalated,
    extended: t.extended,
    suspended: t.suspended,
    voided: t.voided,
    supervised: t.supervised,
    closureRate: ratio(t.dueClosed, t.due),
    onTimeClosureRate: ratio(t.dueClosedOnTime, t.due),
    reworkRate: ratio(t.reworked, t.handled),
    satisfactionRate: ratio(t.satisfied, t.rated),
    extensionRate: ratio(t.extended, t.dispatched),
    averageHandlingHours: t.closed > 0 ? Math.round((t.handlingHours / t.closed) * 100) / 100 : null,
  };
}

/**
 * Weights of the department composite score (综合评价), configurable; they need not sum to 1. The
 * exception components (`noExtension`, `noSupervision`) count 0 when a configuration leaves them out.
 */
export interface ScoreWeights {
  onTime: number;
  closure: number;
  noRework: number;
  satisfaction: number;
  noExtension?: number | undefined;
  noSupervision?: number | undefined;
}

export const DEFAULT_WEIGHTS: ScoreWeights = { onTime: 0.5, closure: 0.3, noRework: 0.1, satisfaction: 0.1, noExtension: 0.1, noSupervision: 0.1 };

/**
 * A department's figures and composite score (0–100) from its own counters:
 * on-time = handledOnTime / handled; closure = closed / handled; no-rework = 1 − reworked / handled;
 * satisfaction = satisfied / rated; no-extension = 1 − extended / dispatched; no-supervision =
 * 1 − supervised / dispatched (both floored at 0). Components without a denominator are left out and
 * the remaining weights renormalised; a department that handled nothing has no score (null).
 */
export function departmentScore(t: Totals, weights: ScoreWeights = DEFAULT_WEIGHTS) {
  const components: Array<[number, number | null]> = [
    [weights.onTime, ratio(t.handledOnTime, t.handled)],
    [weights.closure, t.handled > 0 ? Math.min(1, t.closed / t.handled) : null],
    [weights.noRework, t.handled > 0 ? 1 - t.reworked / t.handled : null],
    [weights.satisfaction, ratio(t.satisfied, t.rated)],
    [weights.noExtension ?? 0, t.dispatched > 0 ? Math.max(0, 1 - t.extended / t.dispatched) : null],
    [weights.noSupervision ?? 0, t.dispatched > 0 ? Math.max(0, 1 - t.supervised / t.dispatched) : null],
  ];
  const present = components.filter(([, value]) => value !== null) as Array<[number, number]>;
  const weight = present.reduce((sum, [w]) => sum + w, 0);
  const score = t.handled > 0 && weight > 0 ? Math.round((present.reduce((sum, [w, v]) => sum + w * v, 0) / weight) * 10_000) / 100 : null;
  return {
    dispatched: t.dispatched,
    handled: t.handled,
    onTime: t.handledOnTime,
    overdue: t.handledLate,
    escalated: t.escalated,
    extended: t.extended,
    supervised: t.supervised,
    reworked: t.reworked,
    returned: t.returned,
    closed: t.closed,
    rated: t.rated,
    satisfied: t.satisfied,
    score,
    photoFlags: photoFlags(t),
  };
}

/**
 * 照片存疑 — after photos of the completions in the range, those carrying any flag of the staff view's
 * 照片核查, and each flag (a photo may carry several). Shown beside the evaluations, in no score or rate
 * until the flags' false-positive rate is measured (docs/evaluation.md).
 */
export function photoFlags(t: Totals) {
  return { afterPhotos: t.afterPhotos, flagged: t.photosFlagged, reused: t.photosReused, farFromCase: t.photosFarFromCase, takenBeforeDispatch: t.photosTakenBeforeDispatch, noTime: t.photosNoTime };
}

/** The posts position evaluation (岗位评价) scores. */
export const EVALUATED_ROLES = ['supervisor', 'agent', 'dispatcher', 'handler'] as const;
export type EvaluatedRole = (typeof EVALUATED_ROLES)[number];

/**
 * 岗位评价 — one person's figures in one post, from their own counters (docs/evaluation.md):
 * supervisor: 有效上报率 validReportRate = validReports / reported; 核查按时率 onTimeCheckRate = checksOnTime / checks;
 * agent: 按时立案率 onTimeFilingRate = filedOnTime / filed; 立案准确率 accurateFilingRate = 1 − voided / filed
 * (voided = filings later voided or merged into another case);
 * dispatcher: 按时派遣率 onTimeDispatchRate = dispatchedOnTime / dispatched; 派遣准确率 accurateDispatchRate =
 * 1 − returned / dispatched; supervisor and handler: minutesOnDuty (考勤, added when a span ends, split at
 * local midnights), rollCalls and rollCallsAnsweredOnTime (点名, on the day sent), 点名按时应答率 onTimeRollCallRate.; handler: photoFlags (照片存疑 of their completions, not a rate, not weighed).
 * A rate with no denominator is null.
 */
export function staffFigures(role: EvaluatedRole, t: Totals) {
  switch (role) {
    case 'supervisor':
      return { reported: t.reports, validReports: t.validReports, validReportRate: ratio(t.validReports, t.reports), checks: t.checks, checksOnTime: t.checksOnTime, onTimeCheckRate: ratio(t.checksOnTime, t.checks), minutesOnDuty: onDuty(t), ...rollCallFigures(t) };
    case 'agent':
      return { filed: t.filings, filedOnTime: t.filingsOnTime, onTimeFilingRate: ratio(t.filingsOnTime, t.filings), voided: t.filingsWithdrawn, accurateFilingRate: complement(ratio(t.filingsWithdrawn, t.filings)) };
    case 'dispatcher':
      return { dispatched: t.dispatches, dispatchedOnTime: t.dispatchesOnTime, onTimeDispatchRate: ratio(t.dispatchesOnTime, t.dispatches), returned: t.dispatchesReturned, accurateDispatchRate: complement(ratio(t.dispatchesReturned, t.dispatches)) };
    case 'handler':
      return { minutesOnDuty: onDuty(t), ...rollCallFigures(t), photoFlags: photoFlags(t) };
  }
}

/** 点名: roll calls sent to the person, answered by their due time, and the rate (on the day each was sent). */
const rollCallFigures = (t: Totals) => ({ rollCalls: t.rollCalls, rollCallsAnsweredOnTime: t.rollCallsAnsweredOnTime, onTimeRollCallRate: ratio(t.rollCallsAnsweredOnTime, t.rollCalls) });

/** Minutes on duty to two decimals (the day counters add fractions). */
const onDuty = (t: Totals) => Math.round(t.minutesOnDuty * 100) / 100;

const complement = (rate: number | null) => (rate === null ? null : Math.round(Math.max(0, 1 - rate) * 10_000) / 10_000);
