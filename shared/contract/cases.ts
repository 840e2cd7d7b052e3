/** Cases: reporting, the case detail and the lists (the lifecycle steps are in `lifecycle.ts`). */
import { errors, PHOTO_CONFLICT, type RouteSpec } from './route-spec.ts';
import { ROLES, STAFF_ROLES } from '#shared/domain/roles';
import { CaseDetailBody, CaseEnvelope, CaseListBody, QueueQuery, CaseParams, ReportBody } from '#shared/schemas/cases';
import { PageQuery } from '#shared/schemas/common';

export const reportCase = {
  method: 'POST',
  path: '/v1/cases',
  handler: 'functions/cases/report-case.ts',
  access: ['citizen', 'supervisor'],
  summary: '信息收集 — report a problem (citizen: app/WeChat; supervisor: patrol, or video patrol 视频巡查 from a camera). Idempotency-Key supported',
  tag: 'Cases',
  request: { body: ReportBody },
  responses: { 201: { description: 'Reported', schema: CaseEnvelope }, ...errors(400, 401, 403, 409, 429), ...PHOTO_CONFLICT },
  needs: { table: 'readWrite' },
  idempotencyKey: true,
} as const satisfies RouteSpec;

export const listMyCases = {
  method: 'GET',
  path: '/v1/me/cases',
  handler: 'functions/cases/list-my-cases.ts',
  access: ROLES,
  summary: '我的案件 — the caller\'s own reports, newest first',
  tag: 'Cases',
  request: { query: PageQuery },
  responses: { 200: { description: 'Cases', schema: CaseListBody }, ...errors(400, 401) },
  needs: { table: 'read', cursorKey: true },
} as const satisfies RouteSpec;

export const getCase = {
  method: 'GET',
  path: '/v1/cases/{id}',
  handler: 'functions/cases/get-case.ts',
  access: ROLES,
  summary: 'A case with its full timeline (who, role, when, what) and photos',
  tag: 'Cases',
  request: { params: CaseParams },
  responses: { 200: { description: 'The case', schema: CaseDetailBody }, ...errors(401, 404) },
  // Signed photo URLs only work if this function may read the cleaned copies.
  needs: { table: 'read', bucket: 'view' },
} as const satisfies RouteSpec;

export const listCases = {
  method: 'GET',
  path: '/v1/cases',
  handler: 'functions/cases/list-cases.ts',
  access: STAFF_ROLES,
  summary: 'The staff work queue, oldest first (status, department subtree, grid, overdue); a dispatcher\'s is its department\'s subtree; or one case by caseNumber',
  tag: 'Cases',
  request: { query: QueueQuery },
  responses: { 200: { description: 'Cases', schema: CaseListBody }, ...errors(400, 401, 403) },
  needs: { table: 'read', cursorKey: true },
} as const satisfies RouteSpec;
