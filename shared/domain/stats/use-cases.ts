import { ValidationError } from '#shared/domain/errors';
import { localDay } from '#shared/domain/cases/counters';
import type { Totals } from './evaluation.ts';
import { DEFAULT_WEIGHTS, departmentScore, sumDays, summarize, type ScoreWeights } from './evaluation.ts';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import type { GridIndex } from '#shared/domain/geo/grid-index';
import type { Category } from '#shared/domain/reference/category';

export interface StatsDeps {
  /** The daily counter items of one scope between two local days (inclusive): one Query. */
  readDays(scope: string, from: string, to: string): Promise<Array<{ day: string } & Partial<Totals>>>;
  reference: { departments(): Promise<DepartmentTree>; grids(): Promise<GridIndex>; categories(): Promise<Map<string, Category>> };
  weights?: ScoreWeights;
  now: () => Date;
}

export interface Range {
  from: string;
  to: string;
}

const MAX_DAYS = 1100;

function checkRange(range: Range) {
  const span = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000;
  if (span < 0) throw new ValidationError('The range ends before it starts', [{ path: 'query.to', message: 'Must not be before from' }]);
  if (span > MAX_DAYS) throw new ValidationError('The range is too long', [{ path: 'query.to', message: `At most ${MAX_DAYS} days` }]);
}

async function totals(deps: StatsDeps, scope: string, range: Range): Promise<Totals> {
  // Cohort counters count only deadlines that have passed: days before today (a deadline later today
  // is not yet due), and not past the range.
  const yesterday = localDay(new Date(deps.now().getTime() - 86_400_000));
  return sumDays(await deps.readDays(scope, range.from, range.to), range.to < yesterday ? range.to : yesterday);
}

/** 统计概览 — the headline figures of a scope (city by default) over a range of local days. */
export async function getSummary(deps: StatsDeps, range: Range & { scope: string }) {
  checkRange(range);
  return { scope: range.scope, from: range.from, to: range.to, ...summarize(await totals(deps, range.scope, range)) };
}

/** 综合评价 — every department's figures and composite score, best first. */
export async function getDepartmentStats(deps: StatsDeps, range: Range) {
  checkRange(range);
  const tree = await deps.reference.departments();
  const rows = await Promise.all(
    tree.list().map(async (d) => ({ departmentId: d.id, departmentName: d.name, level: d.level, ...departmentScore(await totals(deps, `department#${d.id}`, range), deps.weights ?? DEFAULT_WEIGHTS) })),
  );
  return { from: range.from, to: range.to, weights: deps.weights ?? DEFAULT_WEIGHTS, items: rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.departmentId.localeCompare(b.departmentId)) };
}

/** 热点 — grids and categories by cases received, most first. */
export async function getHotspots(deps: StatsDeps, range: Range & { limit: number }) {
  checkRange(range);
  const [grids, categories] = await Promise.all([deps.reference.grids(), deps.reference.categories()]);
  const gridRows = await Promise.all(grids.list().map(async (g) => ({ gridId: g.id, name: g.name, district: g.district, ...pick(await totals(deps, `grid#${g.id}`, range)) })));
  const categoryRows = await Promise.all([...categories.values()].map(async (c) => ({ categoryCode: c.code, name: c.name, ...pick(await totals(deps, `category#${c.code}`, range)) })));
  const top = <T extends { received: number }>(rows: T[]) => rows.filter((r) => r.received > 0).sort((a, b) => b.received - a.received).slice(0, range.limit);
  return { from: range.from, to: range.to, grids: top(gridRows), categories: top(categoryRows) };
}

const pick = (t: Totals) => ({ received: t.received, filed: t.filed, closed: t.closed });

/** CSV for reports: the city's figures, then each department's, for the range. */
export async function exportCsv(deps: StatsDeps, range: Range): Promise<string> {
  const summary = await getSummary(deps, { ...range, scope: 'city' });
  const departments = await getDepartmentStats(deps, range);
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    ['范围 scope', '起 from', '止 to', '受理 received', '立案 filed', '结案 closed', '不予立案 rejected', '应结案 dueToClose', '超期 overdue', '超期升级 escalated', '延期 extended', '挂账 suspended', '作废 voided', '督办 supervised', '结案率 closureRate', '按期结案率 onTimeClosureRate', '返工率 reworkRate', '满意率 satisfactionRate', '延期率 extensionRate', '平均处置工时 averageHandlingHours'],
    ['city', summary.from, summary.to, summary.received, summary.filed, summary.closed, summary.rejected, summary.dueToClose, summary.overdue, summary.escalated, summary.extended, summary.suspended, summary.voided, summary.supervised, summary.closureRate, summary.onTimeClosureRate, summary.reworkRate, summary.satisfactionRate, summary.extensionRate, summary.averageHandlingHours],
    [],
    ['部门 departmentId', '名称 name', '派遣 dispatched', '处置 handled', '按期 onTime', '超期 overdue', '超期升级 escalated', '延期 extended', '督办 supervised', '返工 reworked', '回退 returned', '结案 closed', '综合评分 score'],
    ...departments.items.map((d) => [d.departmentId, d.departmentName, d.dispatched, d.handled, d.onTime, d.overdue, d.escalated, d.extended, d.supervised, d.reworked, d.returned, d.closed, d.score]),
  ];
  // A BOM so that spreadsheet programs open the Chinese headers as UTF-8.
  return '\ufeff' + lines.map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}
