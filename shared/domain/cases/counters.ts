import type { Case } from './model.ts';
import type { Counter, CounterDelta } from './ports.ts';

type Add = Partial<Record<Counter, number>>;

/** What one transition counts: case-level scopes, one department, and the deadline's cohort day. */
export interface StepCounters {
  /** Counted today in the city, district, grid and category scopes. */
  case?: Add;
  /** Counted today for one department (the one receiving, returning, handling…). */
  department?: { id: string; add: Add };
  /** Counted on the day the case's deadline falls, in the case-level scopes and for `department`. */
  cohort?: { day: string; add: Add; departmentId?: string | undefined };
  /** Corrections of earlier days in the case-level scopes (a merged case leaves the denominators it was in). */
  corrections?: Array<{ day: string; add: Add }>;
}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** The local (Asia/Shanghai) calendar day of an instant: counters are kept per local day. */
export const localDay = (at: Date) => new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** Case-level scopes of a case: the city, its district, grid and category. */
export const caseScopes = (c: Case) => [
  'city',
  ...(c.district ? [`district#${c.district}`] : []),
  ...(c.gridId ? [`grid#${c.gridId}`] : []),
  ...(c.categoryCode ? [`category#${c.categoryCode}`] : []),
];

/**
 * The counter updates of one transition, merged per (scope, day): a transaction may touch an item once,
 * and "today" can be the cohort day too.
 */
export function counterDeltas(c: Case, at: Date, counters: StepCounters): CounterDelta[] {
  const merged = new Map<string, CounterDelta>();
  const add = (scope: string, day: string, values: Add) => {
    const entries = Object.entries(values).filter(([, v]) => v !== undefined && v !== 0);
    if (entries.length === 0) return;
    const key = `${scope}|${day}`;
    const delta = merged.get(key) ?? { scope, day, add: {} };
    for (const [name, value] of entries) delta.add[name as Counter] = (delta.add[name as Counter] ?? 0) + value!;
    merged.set(key, delta);
  };
  const today = localDay(at);
  for (const scope of caseScopes(c)) {
    if (counters.case) add(scope, today, counters.case);
    if (counters.cohort) add(scope, counters.cohort.day, counters.cohort.add);
    for (const correction of counters.corrections ?? []) add(scope, correction.day, correction.add);
  }
  if (counters.department) add(`department#${counters.department.id}`, today, counters.department.add);
  if (counters.cohort?.departmentId) add(`department#${counters.cohort.departmentId}`, counters.cohort.day, counters.cohort.add);
  return [...merged.values()];
}
