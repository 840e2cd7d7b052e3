import * as z from '#shared/validation/zod';
import { QueryInteger } from './common.ts';
import { EVALUATED_ROLES } from '#shared/domain/stats/evaluation';

const Day = z.lazy(() => z.withMeta(z.iso.date(), { description: 'Local (Asia/Shanghai) day, YYYY-MM-DD' }));
/** Both ends optional: `from` defaults to the first, `to` to the last day of the current month (Asia/Shanghai). */
export const RangeQuery = z.strict(z.object({ from: z.optional(Day), to: z.optional(Day) }));
export const SummaryQuery = z.lazy(() => z.strict(z.extend(RangeQuery, {
  scope: z.withMeta(z.optional(z.string().check(z.regex(/^(city|(district|department|grid|category)#.{1,64})$/, 'city, district#…, department#…, grid#… or category#…'))), { description: 'city (default; a dispatcher\'s default is its own department#…), district#…, department#…, grid#… or category#… — an unknown one is 400' }),
})));
export const HotspotQuery = z.lazy(() => z.strict(z.extend(RangeQuery, { limit: z._default(z.pipe(QueryInteger, z.number().check(z.int(), z.gte(1), z.lte(100))), 10) })));

const Rate = z.nullable(z.number().check(z.gte(0), z.lte(1)));
/** The figures of a scope over some days: the summary's, and each day's in the trend. */
const figures = () => ({
  received: z.number(),
  filed: z.number(),
  closed: z.number(),
  rejected: z.number(),
  dispatched: z.number(),
  handled: z.number(),
  reworked: z.number(),
  returned: z.number(),
  rated: z.number(),
  satisfied: z.number(),
  dueToClose: z.number(),
  overdue: z.number(),
  /** 超期升级: escalation events of the deadline timer (a case escalated to level 3 counts 3). */
  escalated: z.number(),
  /** 延期 approved extensions, 挂账 suspensions, 作废 voids, 督办 manual supervisions in the range. */
  extended: z.number(),
  suspended: z.number(),
  voided: z.number(),
  supervised: z.number(),
  closureRate: Rate,
  onTimeClosureRate: Rate,
  reworkRate: Rate,
  satisfactionRate: Rate,
  extensionRate: z.withMeta(Rate, { description: '延期率 = extended ÷ dispatched' }),
  averageHandlingHours: z.nullable(z.number()),
});
export const SummaryBody = z.lazy(() => z.withMeta(z.object({
  scope: z.string(),
  from: z.string(),
  to: z.string(),
  ...figures(),
}), { id: 'StatsSummary', description: 'Formulas: docs/evaluation.md. A rate without a denominator is null.' }));

export const TrendBody = z.lazy(() => z.withMeta(z.object({
  scope: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.withMeta(z.array(z.object({ day: z.string(), ...figures() })), { description: 'Every local day of the range, oldest first, with that day\'s figures (a day without cases has zeros)' }),
}), { id: 'StatsTrend', description: 'The summary\'s figures day by day. Formulas: docs/evaluation.md.' }));

/** 照片存疑 — counts of after photos and their 照片核查 flags; in no score. */
const PhotoFlagCounts = z.lazy(() => z.withMeta(z.object({
  afterPhotos: z.withMeta(z.number(), { description: 'After photos of the completions in the range (on the completion\'s day)' }),
  flagged: z.withMeta(z.number(), { description: 'Those carrying any flag of the staff view\'s photoChecks (照片存疑)' }),
  reused: z.number(),
  farFromCase: z.number(),
  takenBeforeDispatch: z.number(),
  noTime: z.number(),
}), { id: 'PhotoFlagCounts', description: '照片存疑: flagged after photos, per flag (a photo may carry several). Shown beside the evaluation, never weighed in a score or rate until the flags\' false-positive rate is measured (docs/evaluation.md)' }));

export const DepartmentStatsBody = z.lazy(() => z.withMeta(z.object({
  from: z.string(),
  to: z.string(),
  weights: z.object({ onTime: z.number(), closure: z.number(), noRework: z.number(), satisfaction: z.number(), noExtension: z.optional(z.number()), noSupervision: z.optional(z.number()) }),
  items: z.array(
    z.object({
      departmentId: z.string(),
      departmentName: z.string(),
      level: z.number(),
      dispatched: z.number(),
      handled: z.number(),
      onTime: z.number(),
      overdue: z.number(),
      escalated: z.number(),
      extended: z.number(),
      supervised: z.number(),
      reworked: z.number(),
      returned: z.number(),
      closed: z.number(),
      rated: z.number(),
      satisfied: z.number(),
      score: z.nullable(z.number()),
      photoFlags: PhotoFlagCounts,
    }),
  ),
}), { id: 'DepartmentStats' }));

export const HotspotBody = z.lazy(() => z.withMeta(z.object({
  from: z.string(),
  to: z.string(),
  grids: z.array(z.object({ gridId: z.string(), name: z.string(), district: z.string(), received: z.number(), filed: z.number(), closed: z.number() })),
  categories: z.array(z.object({ categoryCode: z.string(), name: z.string(), received: z.number(), filed: z.number(), closed: z.number() })),
}), { id: 'Hotspots' }));

export const StaffStatsQuery = z.lazy(() => z.strict(z.extend(RangeQuery, {
  role: z.withMeta(z.enum(EVALUATED_ROLES), { description: 'The post evaluated: supervisor (监督员), agent (坐席员), dispatcher (派遣员) or handler (处置人员)' }),
})));

const Count = z.lazy(() => z.number().check(z.int()));
const count = z.lazy(() => z.optional(Count));
const rate = z.optional(Rate);
export const StaffStatsBody = z.lazy(() => z.withMeta(z.object({
  role: z.enum(EVALUATED_ROLES),
  from: z.string(),
  to: z.string(),
  items: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      departmentId: z.optional(z.string()),
      departmentName: z.optional(z.string()),
      status: z.optional(z.literal('disabled')),
      // supervisor
      reported: count,
      validReports: count,
      validReportRate: rate,
      checks: count,
      checksOnTime: count,
      onTimeCheckRate: rate,
      minutesOnDuty: z.withMeta(z.optional(z.number()), { description: 'Supervisors and handlers: minutes on duty (考勤) in the range, from daily counters' }),
      rollCalls: z.withMeta(z.optional(Count), { description: 'Supervisors and handlers: roll calls (点名) sent to them in the range' }),
      rollCallsAnsweredOnTime: z.withMeta(z.optional(Count), { description: 'Supervisors and handlers: roll calls answered by their due time (counted on the day sent)' }),
      onTimeRollCallRate: rate,
      // handler
      photoFlags: z.withMeta(z.optional(PhotoFlagCounts), { description: 'Handlers: the after photos of their completions and the flagged ones (照片存疑)' }),
      // agent
      filed: count,
      filedOnTime: count,
      onTimeFilingRate: rate,
      voided: z.withMeta(z.optional(Count), { description: 'Cases the agent filed that were later voided or merged into another case' }),
      accurateFilingRate: rate,
      // dispatcher
      dispatched: count,
      dispatchedOnTime: count,
      onTimeDispatchRate: rate,
      returned: count,
      accurateDispatchRate: rate,
    }),
  ),
}), { id: 'StaffStats' }));
