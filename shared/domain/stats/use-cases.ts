import { ForbiddenError, ValidationError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import { localDay } from '#shared/domain/cases/counters';
import type { Totals } from './evaluation.ts';
import { DEFAULT_WEIGHTS, departmentScore, staffFigures, sumDays, summarize, type EvaluatedRole, type ScoreWeights } from './evaluation.ts';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import type { GridIndex } from '#shared/domain/geo/grid-index';
import type { Category } from '#shared/domain/reference/category';

export interface StatsDeps {
  /** The daily counter items of one scope between two local days (inclusive): one Query. */
  readDays(scope: string, from: string, to: string): Promise<Array<{ day: string } & Partial<Totals>>>;
  reference: { departments(): Promise<DepartmentTree>; grids(): Promise<GridIndex>; categories(): Promise<Map<string, Category>> };
  weights?: ScoreWeights;
  /** Every active or disabled staff account with `role` (position evaluation lists them all). */
  staffWithRole(role: EvaluatedRole): Promise<Array<{ id: string; displayName: string; departmentId?: string | undefined; status: 'active' | 'disabled' }>>;
  now: () => Date;
}

export interface Range {
  from: string;
  to: string;
}

/** A range as asked: either end may be absent. */
export type RangeInput = { from?: string | undefined; to?: string | undefined };

/** The longest range, in days (both ends included): three years. */
const MAX_DAYS = 1101;

/** The current calendar month in Asia/Shanghai: its first and last local day. */
export function currentMonth(now: Date): Range {
  const today = localDay(now);
  const [year, month] = today.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate(); // day 0 of the next month
  return { from: `${today.slice(0, 7)}-01`, to: `${today.slice(0, 7)}-${String(last).padStart(2, '0')}` };
}

/** Fills absent ends with the current month's, then checks the range (at most `maxDays` days, both ends included). */
function resolveRange(deps: Pick<StatsDeps, 'now'>, input: RangeInput, maxDays = MAX_DAYS): Range {
  const month = currentMonth(deps.now());
  const range = { from: input.from ?? month.from, to: input.to ?? month.to };
  const span = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000;
  if (span < 0) throw new ValidationError('The range ends before it starts', [{ path: 'query.to', message: 'Must not be before from' }], { id: 'stats.range-reversed' });
  if (span + 1 > maxDays) throw new ValidationError('The range is too long', [{ path: 'query.to', message: `At most ${maxDays} days` }], { id: 'stats.range-too-long' });
  return range;
}

/** Who reads city-wide figures; a dispatcher (without one of these) reads its own department subtree. */
const CITY_READERS = ['leader', 'agent', 'admin'] as const;

/** The departments whose figures the caller may read: all (undefined) or a dispatcher's subtree. */
function readableDepartments(principal: Principal | undefined, tree: DepartmentTree): Set<string> | undefined {
  if (!principal || principal.roles.some((r) => (CITY_READERS as readonly string[]).includes(r))) return undefined;
  const own = principal.departmentId;
  if (!own || !tree.get(own)) throw new ForbiddenError('You belong to no department', { id: 'scope.no-department' });
  return new Set([own, ...tree.descendants(own).map((d) => d.id)]);
}

/** The scope to read: it must exist (else 400) and lie within what the caller may read (else 403). */
async function resolveScope(deps: StatsDeps, principal: Principal | undefined, asked: string | undefined): Promise<string> {
  const tree = await deps.reference.departments();
  const readable = readableDepartments(principal, tree);
  const scope = asked ?? (readable ? `department#${principal!.departmentId}` : 'city');
  const [kind, key = ''] = scope.split(/#(.*)/s) as [string, string?];
  let exists = kind === 'city';
  if (kind === 'department') exists = Boolean(tree.get(key));
  if (kind === 'grid') exists = (await deps.reference.grids()).has(key);
  if (kind === 'district') exists = (await deps.reference.grids()).list().some((g) => g.district === key);
  if (kind === 'category') exists = (await deps.reference.categories()).has(key);
  if (!exists) throw new ValidationError('Unknown scope', [{ path: 'query.scope', message: `No ${kind} ${key}`.trim() }], { id: 'stats.unknown-scope', params: { scope } });
  if (readable && !(kind === 'department' && readable.has(key))) throw new ForbiddenError('That scope is outside your department', { id: 'stats.scope-outside' });
  return scope;
}

/**
 * Cohort counters (cases falling due) count only deadlines that have passed: days before today (a
 * deadline later today is not yet due). The last such day.
 */
const lastDueDay = (deps: Pick<StatsDeps, 'now'>) => localDay(new Date(deps.now().getTime() - 86_400_000));

async function totals(deps: StatsDeps, scope: string, range: Range): Promise<Totals> {
  const yesterday = lastDueDay(deps);
  return sumDays(await deps.readDays(scope, range.from, range.to), range.to < yesterday ? range.to : yesterday);
}

/**
 * 统计概览 — the headline figures of a scope over a range of local days (default: the current month).
 * The city by default; a dispatcher reads its own department or one below it (its own by default).
 * A scope that names nothing (a department, grid, district or category the city does not have) is 400.
 */
export async function getSummary(deps: StatsDeps, query: RangeInput & { scope?: string | undefined }, principal?: Principal) {
  const range = resolveRange(deps, query);
  const scope = await resolveScope(deps, principal, query.scope);
  return { scope, from: range.from, to: range.to, ...summarize(await totals(deps, scope, range)) };
}

/** At most this many days in one trend (a quarter). */
export const TREND_MAX_DAYS = 92;

/**
 * 趋势 — the summary's figures of a scope day by day over a range (default: the current month; at most
 * {@link TREND_MAX_DAYS} days): every day of the range, oldest first, a day without cases with zeros.
 * One Query, as for the summary; scope rules are the summary's.
 */
export async function getTrend(deps: StatsDeps, query: RangeInput & { scope?: string | undefined }, principal?: Principal) {
  const range = resolveRange(deps, query, TREND_MAX_DAYS);
  const scope = await resolveScope(deps, principal, query.scope);
  // One counter item per scope and day (its key), absent on a day without cases.
  const byDay = new Map((await deps.readDays(scope, range.from, range.to)).map((item) => [item.day, item]));
  const yesterday = lastDueDay(deps);
  const days = [];
  for (let t = Date.parse(range.from); t <= Date.parse(range.to); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const item = byDay.get(day);
    days.push({ day, ...summarize(sumDays(item ? [item] : [], yesterday)) });
  }
  return { scope, from: range.from, to: range.to, days };
}

/** 综合评价 — every department's figures and composite score, best first (a dispatcher: its subtree's). */
export async function getDepartmentStats(deps: StatsDeps, query: RangeInput, principal?: Principal) {
  const range = resolveRange(deps, query);
  const tree = await deps.reference.departments();
  const readable = readableDepartments(principal, tree);
  const rows = await Promise.all(
    tree.list().filter((d) => !readable || readable.has(d.id)).map(async (d) => ({ departmentId: d.id, departmentName: d.name, level: d.level, ...departmentScore(await totals(deps, `department#${d.id}`, range), deps.weights ?? DEFAULT_WEIGHTS) })),
  );
  return { from: range.from, to: range.to, weights: deps.weights ?? DEFAULT_WEIGHTS, items: rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.departmentId.localeCompare(b.departmentId)) };
}

/**
 * 岗位评价 — every person in a post (supervisor, agent, dispatcher or handler) with their figures over a range
 * (default: the current month), sorted by department then name. One Query per person over the range's
 * days (their `staff#…` scope), at most {@link STAFF_READS_AT_ONCE} at a time.
 */
export async function getStaffStats(deps: StatsDeps, query: RangeInput & { role: EvaluatedRole }) {
  const range = resolveRange(deps, query);
  const [tree, people] = await Promise.all([deps.reference.departments(), deps.staffWithRole(query.role)]);
  const items = await mapLimited(people, STAFF_READS_AT_ONCE, async (p) => ({
    userId: p.id,
    displayName: p.displayName,
    ...(p.departmentId ? { departmentId: p.departmentId, departmentName: tree.get(p.departmentId)?.name ?? p.departmentId } : {}),
    ...(p.status === 'disabled' ? { status: p.status } : {}),
    ...staffFigures(query.role, await totals(deps, `staff#${p.id}`, range)),
  }));
  items.sort((a, b) => (a.departmentId ?? '').localeCompare(b.departmentId ?? '') || a.displayName.localeCompare(b.displayName, 'zh-CN') || a.userId.localeCompare(b.userId));
  return { role: query.role, from: range.from, to: range.to, items };
}

const STAFF_READS_AT_ONCE = 16;

/** `work` over `items`, at most `width` at a time, results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
    }),
  );
  return results;
}

/**
 * 热点 — grids by cases received and categories by cases received or filed, most first. A citizen's
 * report carries no category (the agent classifies it when filing), so a category's 受理 counts only
 * the reports that came classified (patrol, hotline); ranking categories by 受理 alone would hide
 * every category the agents filed.
 */
export async function getHotspots(deps: StatsDeps, query: RangeInput & { limit: number }) {
  const range = { ...resolveRange(deps, query), limit: query.limit };
  const [grids, categories] = await Promise.all([deps.reference.grids(), deps.reference.categories()]);
  const gridRows = await Promise.all(grids.list().map(async (g) => ({ gridId: g.id, name: g.name, district: g.district, ...pick(await totals(deps, `grid#${g.id}`, range)) })));
  const categoryRows = await Promise.all([...categories.values()].map(async (c) => ({ categoryCode: c.code, name: c.name, ...pick(await totals(deps, `category#${c.code}`, range)) })));
  const gridTop = gridRows.filter((r) => r.received > 0).sort((a, b) => b.received - a.received).slice(0, range.limit);
  const byVolume = (r: { received: number; filed: number }) => Math.max(r.received, r.filed);
  const categoryTop = categoryRows
    .filter((r) => r.received > 0 || r.filed > 0)
    .sort((a, b) => byVolume(b) - byVolume(a) || b.filed - a.filed)
    .slice(0, range.limit);
  return { from: range.from, to: range.to, grids: gridTop, categories: categoryTop };
}

const pick = (t: Totals) => ({ received: t.received, filed: t.filed, closed: t.closed });

/** CSV for reports: the city's figures (a dispatcher: its department's), then each department's, for the range. */
export async function exportCsv(deps: StatsDeps, query: RangeInput, principal?: Principal): Promise<string> {
  const range = resolveRange(deps, query);
  const summary = await getSummary(deps, range, principal);
  const departments = await getDepartmentStats(deps, range, principal);
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    ['范围 scope', '起 from', '止 to', '受理 received', '立案 filed', '结案 closed', '不予立案 rejected', '应结案 dueToClose', '超期 overdue', '超期升级 escalated', '延期 extended', '挂账 suspended', '作废 voided', '督办 supervised', '结案率 closureRate', '按期结案率 onTimeClosureRate', '返工率 reworkRate', '满意率 satisfactionRate', '延期率 extensionRate', '平均处置工时 averageHandlingHours'],
    [summary.scope, summary.from, summary.to, summary.received, summary.filed, summary.closed, summary.rejected, summary.dueToClose, summary.overdue, summary.escalated, summary.extended, summary.suspended, summary.voided, summary.supervised, summary.closureRate, summary.onTimeClosureRate, summary.reworkRate, summary.satisfactionRate, summary.extensionRate, summary.averageHandlingHours],
    [],
    ['部门 departmentId', '名称 name', '派遣 dispatched', '处置 handled', '按期 onTime', '超期 overdue', '超期升级 escalated', '延期 extended', '督办 supervised', '返工 reworked', '回退 returned', '结案 closed', '综合评分 score', '处置后照片 afterPhotos', '照片存疑（不计分） flaggedPhotos'],
    ...departments.items.map((d) => [d.departmentId, d.departmentName, d.dispatched, d.handled, d.onTime, d.overdue, d.escalated, d.extended, d.supervised, d.reworked, d.returned, d.closed, d.score, d.photoFlags.afterPhotos, d.photoFlags.flagged]),
  ];
  // A BOM so that spreadsheet programs open the Chinese headers as UTF-8.
  return '\ufeff' + lines.map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}
