import type { Case } from './model.ts';
import type { Counter, CounterDelta } from './ports.ts';

type Add = Partial<Record<Counter, number>>;

/** What one transition counts: case-level scopes, one department, and the deadline's cohort day. */
export interface StepCounters {
  /** Counted today in the city, district, grid and category scopes. */
  case?: Add;
  /** Counted today for one department (the one receiving, returning, handling…). */
  department?: { id: string; add: Add };
  /**
   * Counted on another day than today — the day the case's deadline falls (its cohort), or the day of
   * an earlier count being taken back — in the case-level scopes (and for `departmentId`). Several when
   * the deadline moves: out of the old day, into the new one.
   */
  cohort?: CohortCount | readonly CohortCount[];
  /** Counted for people (position evaluation): today, or on the `day` the counted thing happened. */
  staff?: readonly StaffCount[];
}

export interface StaffCount {
  userId: string;
  /** Absent: today. */
  day?: string | undefined;
  add: Add;
}

/** The scope of one person's counters. */
export const staffScope = (userId: string) => `staff#${userId}`;

/** A filing taken back with the case (作废, 合并): counted against the agent who filed it, on the filing day. */
export function withdrawnFiling(c: Case): StaffCount[] {
  return c.filedBy && c.filedAt ? [{ userId: c.filedBy, day: localDay(new Date(c.filedAt)), add: { filingsWithdrawn: 1 } }] : [];
}

export interface CohortCount {
  day: string;
  add: Add;
  departmentId?: string | undefined;
}

/**
 * The counts that take a case out of the days it was counted in when it leaves every denominator
 * (作废 void; a merge likewise): its deadline cohort (`due`, while it has one — a suspended case is
 * out already) and its first dispatch (the denominator of the extension rate).
 */
export function withdrawnCounts(c: Case): CohortCount[] {
  const counted = c.firstDispatchedAt !== undefined;
  return [
    ...(counted && c.dueAt && c.status !== 'suspended' ? [{ day: localDay(new Date(c.dueAt)), add: { due: -1 } }] : []),
    ...(counted ? [{ day: localDay(new Date(c.firstDispatchedAt!)), add: { dispatched: -1 } }] : []),
  ];
}

/** The `due` count moved with the deadline: out of `fromDueAt`'s day, into `toDueAt`'s (either may be absent). */
export function movedDue(fromDueAt: string | undefined, toDueAt: string | undefined): CohortCount[] {
  return [
    ...(fromDueAt ? [{ day: localDay(new Date(fromDueAt)), add: { due: -1 } }] : []),
    ...(toDueAt ? [{ day: localDay(new Date(toDueAt)), add: { due: 1 } }] : []),
  ];
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
  const cohorts: readonly CohortCount[] = counters.cohort === undefined ? [] : 'day' in counters.cohort ? [counters.cohort] : counters.cohort;
  for (const scope of caseScopes(c)) {
    if (counters.case) add(scope, today, counters.case);
    for (const cohort of cohorts) add(scope, cohort.day, cohort.add);
  }
  if (counters.department) add(`department#${counters.department.id}`, today, counters.department.add);
  for (const cohort of cohorts) if (cohort.departmentId) add(`department#${cohort.departmentId}`, cohort.day, cohort.add);
  for (const count of counters.staff ?? []) add(staffScope(count.userId), count.day ?? today, count.add);
  // A move within one day nets to nothing: no write for it.
  return [...merged.values()]
    .map((d) => ({ ...d, add: Object.fromEntries(Object.entries(d.add).filter(([, v]) => v !== 0)) }))
    .filter((d) => Object.keys(d.add).length > 0);
}
