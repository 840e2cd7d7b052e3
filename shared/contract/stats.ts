/**
 * Statistics: summary figures, department scores, hotspots and the CSV export. Ranges default to the
 * current month (Asia/Shanghai); dispatchers read the figures of their own department subtree.
 */
import { errors, type RouteSpec } from './route-spec.ts';
import { DepartmentStatsBody, HotspotBody, HotspotQuery, RangeQuery, StaffStatsBody, StaffStatsQuery, SummaryBody, SummaryQuery, TrendBody } from '#shared/schemas/stats';

export const getStatsSummary = {
  method: 'GET',
  path: '/v1/stats/summary',
  handler: 'functions/stats/summary.ts',
  access: ['leader', 'agent', 'admin', 'dispatcher'],
  summary: 'Received / filed / closed and the closure, on-time, rework and satisfaction rates of a scope',
  tag: 'Statistics',
  request: { query: SummaryQuery },
  responses: { 200: { description: 'Figures', schema: SummaryBody }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;

export const getDepartmentStats = {
  method: 'GET',
  path: '/v1/stats/departments',
  handler: 'functions/stats/departments.ts',
  access: ['leader', 'agent', 'admin', 'dispatcher'],
  summary: '综合评价 — every department\'s figures and composite score, best first',
  tag: 'Statistics',
  request: { query: RangeQuery },
  responses: { 200: { description: 'Departments', schema: DepartmentStatsBody }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;

export const getStaffStats = {
  method: 'GET',
  path: '/v1/stats/staff',
  handler: 'functions/stats/staff.ts',
  access: ['leader', 'admin'],
  summary: '岗位评价 — every supervisor, agent, dispatcher or handler with their figures (on-time and accuracy rates; minutes on duty; a handler\'s flagged after photos)',
  tag: 'Statistics',
  request: { query: StaffStatsQuery },
  responses: { 200: { description: 'People', schema: StaffStatsBody }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;

export const getGridStats = {
  method: 'GET',
  path: '/v1/stats/grids',
  handler: 'functions/stats/grids.ts',
  access: ['leader', 'agent', 'admin'],
  summary: 'Hotspots: grids with the most cases received, categories with the most received or filed',
  tag: 'Statistics',
  request: { query: HotspotQuery },
  responses: { 200: { description: 'Hotspots', schema: HotspotBody }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;

export const exportStats = {
  method: 'GET',
  path: '/v1/stats/export.csv',
  handler: 'functions/stats/export-csv.ts',
  access: ['leader', 'agent', 'admin', 'dispatcher'],
  summary: 'The city and department figures of a range as CSV (UTF-8 with BOM)',
  tag: 'Statistics',
  request: { query: RangeQuery },
  responses: { 200: { description: 'CSV', contentType: 'text/csv' }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;

export const getStatsTrend = {
  method: 'GET',
  path: '/v1/stats/trend',
  handler: 'functions/stats/trend.ts',
  access: ['leader', 'agent', 'admin', 'dispatcher'],
  summary: 'The summary\'s figures of a scope day by day (at most 92 days; the dashboard\'s trend in one request)',
  tag: 'Statistics',
  request: { query: SummaryQuery },
  responses: { 200: { description: 'Figures per day', schema: TrendBody }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;
