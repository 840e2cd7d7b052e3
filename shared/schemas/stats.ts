import * as z from 'zod';
import { QueryInteger } from './common.ts';
import { EVALUATED_ROLES } from '#shared/domain/stats/evaluation';

const Day = z.iso.date().meta({ description: 'Local (Asia/Shanghai) day, YYYY-MM-DD' });
/** Both ends optional: `from` defaults to the first, `to` to the last day of the current month (Asia/Shanghai). */
export const RangeQuery = z.object({ from: Day.optional(), to: Day.optional() }).strict();
export const SummaryQuery = RangeQuery.extend({
  scope: z
    .string()
    .regex(/^(city|(district|department|grid|category)#.{1,64})$/, 'city, district#…, department#…, grid#… or category#…')
    .optional()
    .meta({ description: 'city (default; a dispatcher\'s default is its own department#…), district#…, department#…, grid#… or category#… — an unknown one is 400' }),
}).strict();
export const HotspotQuery = RangeQuery.extend({ limit: QueryInteger.pipe(z.number().int().min(1).max(100)).default(10) }).strict();

const Rate = z.number().min(0).max(1).nullable();
export const SummaryBody = z
  .object({
    scope: z.string(),
    from: z.string(),
    to: z.string(),
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
    extensionRate: Rate.meta({ description: '延期率 = extended ÷ dispatched' }),
    averageHandlingHours: z.number().nullable(),
  })
  .meta({ id: 'StatsSummary', description: 'Formulas: docs/evaluation.md. A rate without a denominator is null.' });

export const DepartmentStatsBody = z
  .object({
    from: z.string(),
    to: z.string(),
    weights: z.object({ onTime: z.number(), closure: z.number(), noRework: z.number(), satisfaction: z.number(), noExtension: z.number().optional(), noSupervision: z.number().optional() }),
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
        score: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'DepartmentStats' });

export const HotspotBody = z
  .object({
    from: z.string(),
    to: z.string(),
    grids: z.array(z.object({ gridId: z.string(), name: z.string(), district: z.string(), received: z.number(), filed: z.number(), closed: z.number() })),
    categories: z.array(z.object({ categoryCode: z.string(), name: z.string(), received: z.number(), filed: z.number(), closed: z.number() })),
  })
  .meta({ id: 'Hotspots' });

export const StaffStatsQuery = RangeQuery.extend({
  role: z.enum(EVALUATED_ROLES).meta({ description: 'The post evaluated: supervisor (监督员), agent (坐席员) or dispatcher (派遣员)' }),
}).strict();

const Count = z.number().int();
export const StaffStatsBody = z
  .object({
    role: z.enum(EVALUATED_ROLES),
    from: z.string(),
    to: z.string(),
    items: z.array(
      z.object({
        userId: z.string(),
        displayName: z.string(),
        departmentId: z.string().optional(),
        departmentName: z.string().optional(),
        status: z.literal('disabled').optional(),
        // supervisor
        reported: Count.optional(),
        validReports: Count.optional(),
        validReportRate: Rate.optional(),
        checks: Count.optional(),
        checksOnTime: Count.optional(),
        onTimeCheckRate: Rate.optional(),
        // agent
        filed: Count.optional(),
        filedOnTime: Count.optional(),
        onTimeFilingRate: Rate.optional(),
        voided: Count.optional().meta({ description: 'Cases the agent filed that were later voided or merged into another case' }),
        accurateFilingRate: Rate.optional(),
        // dispatcher
        dispatched: Count.optional(),
        dispatchedOnTime: Count.optional(),
        onTimeDispatchRate: Rate.optional(),
        returned: Count.optional(),
        accurateDispatchRate: Rate.optional(),
      }),
    ),
  })
  .meta({ id: 'StaffStats' });
