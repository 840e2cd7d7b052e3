/**
 * THE route table: the single source of truth for the HTTP surface. The CDK API construct creates one
 * function per entry, the local gateway dispatches to the same handler modules, and the OpenAPI document
 * is generated from it. Add a route here and everything else follows.
 */
import type { z } from 'zod';
import { ROLES, type Role } from '#shared/domain/roles';
import { ErrorBody, HealthBody, OutboxListBody, PageQuery } from '#shared/schemas/common';
import { STAFF_ROLES } from '#shared/domain/roles';
import {
  CategoryBody,
  CategoryList,
  CategoryParams,
  CategoryView,
  DepartmentBody,
  DepartmentList,
  DepartmentParams,
  DepartmentView,
  GridFeature,
  GridParams,
  GridView,
  LocateQuery,
  LocateResult,
} from '#shared/schemas/reference';
import {
  HotlineAccepted,
  HotlineTicketBody,
  CaseDetailBody,
  CaseEnvelope,
  CaseListBody,
  CaseParams,
  CompleteBody,
  DispatchBody,
  FileBody,
  QueueQuery,
  RatingBody,
  RejectBody,
  ReportBody,
  ReturnBody,
  VerifyBody,
} from '#shared/schemas/cases';
import { UploadBody, UploadResult } from '#shared/schemas/photos';
import { DepartmentStatsBody, HotspotBody, HotspotQuery, RangeQuery, SummaryBody, SummaryQuery } from '#shared/schemas/stats';
import { CreateStaffBody, LoginBody, MeBody, RegisterBody, SendCodeBody, SendCodeResult, SessionBody, StaffCreatedBody } from '#shared/schemas/identity';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route: `public` (anyone), `signed` (verified by a webhook signature inside the handler),
 * `local` (served only by the local platform, never deployed) or a list of roles (a valid access token
 * holding at least one of them).
 */
export type Access = 'public' | 'signed' | 'local' | readonly Role[];

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path template, `{name}` for a parameter. `$default` is the catch-all. */
  path: string;
  /** Module exporting `handler`, relative to the repository root. */
  handler: string;
  access: Access;
  summary: string;
  tag: string;
  request?: { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType };
  responses: Record<number, RouteResponse>;
  /** Largest accepted request body in bytes (413 above). Defaults to {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** A body the function validates itself (signed routes check the raw bytes first); documented only. */
  documentedBody?: z.ZodType;
  /** What the route's function may touch; the CDK app grants exactly this (least privilege). */
  needs?: RouteNeeds;
}

export interface RouteNeeds {
  table?: 'read' | 'readWrite';
  /** `upload`: sign POSTs into `uploads/`; `view`: sign GETs of cleaned copies and thumbnails. */
  bucket?: 'upload' | 'view';
  /** Publish SMS to phone numbers through SNS. */
  sms?: boolean;
  /** Read the auth secret (token signing key, code pepper): the auth functions only. */
  signingKey?: boolean;
  /** Read the hotline webhook secrets. */
  hotlineSecret?: boolean;
}

/** JSON bodies are small; photos go straight to S3 with a presigned POST, never through the API. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const errors = (...statuses: number[]): Record<number, RouteResponse> =>
  Object.fromEntries(statuses.map((s) => [s, { description: ERROR_DESCRIPTIONS[s] ?? 'Error', schema: ErrorBody }]));

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED: the request does not match the schema (field-level details)',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT or INVALID_TRANSITION',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED (see Retry-After)',
  500: 'INTERNAL',
};

export const routes = {
  getHealth: {
    method: 'GET',
    path: '/v1/health',
    handler: 'functions/system/health.ts',
    access: 'public',
    summary: 'Liveness check',
    tag: 'System',
    responses: { 200: { description: 'The API is up', schema: HealthBody } },
  },
  getOpenApi: {
    method: 'GET',
    path: '/v1/openapi.json',
    handler: 'functions/system/openapi.ts',
    access: 'public',
    summary: 'This OpenAPI 3.1 document, generated from the route table and the zod schemas',
    tag: 'System',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
  listOutbox: {
    method: 'GET',
    path: '/dev/outbox',
    handler: 'functions/dev/outbox.ts',
    access: 'local',
    summary: 'SMS and topic messages the local stack "sent" instead of SNS, newest first (local only)',
    tag: 'Local',
    request: { query: PageQuery },
    needs: { table: 'read' },
    responses: { 200: { description: 'Messages', schema: OutboxListBody }, ...errors(400) },
  },
  receiveHotlineCallback: {
    method: 'POST',
    path: '/dev/hotline-callbacks',
    handler: 'functions/dev/hotline-callbacks.ts',
    access: 'local',
    summary: 'Plays the 12345 system locally: verifies our signed status callback and keeps it in the outbox (local only)',
    tag: 'Local',
    responses: { 204: { description: 'Verified and kept' }, ...errors(401) },
    needs: { table: 'readWrite' },
  },
  sendSmsCode: {
    method: 'POST',
    path: '/v1/auth/sms-codes',
    handler: 'functions/auth/send-code.ts',
    access: 'public',
    summary: 'Send an SMS verification code (same answer whether or not the phone has an account)',
    tag: 'Identity',
    request: { body: SendCodeBody },
    responses: { 202: { description: 'Code sent', schema: SendCodeResult }, ...errors(400, 429) },
    needs: { table: 'readWrite', sms: true, signingKey: true },
  },
  register: {
    method: 'POST',
    path: '/v1/auth/register',
    handler: 'functions/auth/register.ts',
    access: 'public',
    summary: 'Register a citizen account with a verified phone (one account per number)',
    tag: 'Identity',
    request: { body: RegisterBody },
    responses: { 201: { description: 'Registered and logged in', schema: SessionBody }, ...errors(400, 401, 409) },
    needs: { table: 'readWrite', signingKey: true },
  },
  login: {
    method: 'POST',
    path: '/v1/auth/login',
    handler: 'functions/auth/login.ts',
    access: 'public',
    summary: 'Log in with a phone and an SMS code',
    tag: 'Identity',
    request: { body: LoginBody },
    responses: { 200: { description: 'Logged in', schema: SessionBody }, ...errors(400, 401, 403) },
    needs: { table: 'readWrite', signingKey: true },
  },
  getMe: {
    method: 'GET',
    path: '/v1/me',
    handler: 'functions/auth/me.ts',
    access: ['citizen', 'supervisor', 'agent', 'dispatcher', 'handler', 'leader', 'admin'],
    summary: 'The caller\'s own account',
    tag: 'Identity',
    responses: { 200: { description: 'The account', schema: MeBody }, ...errors(401) },
    needs: { table: 'read' },
  },
  createStaff: {
    method: 'POST',
    path: '/v1/admin/staff',
    handler: 'functions/admin/create-staff.ts',
    access: ['admin'],
    summary: 'Create a staff account with roles and a department',
    tag: 'Admin',
    request: { body: CreateStaffBody },
    responses: { 201: { description: 'Created', schema: StaffCreatedBody }, ...errors(400, 401, 403, 409) },
    needs: { table: 'readWrite' },
  },
  listDepartments: {
    method: 'GET',
    path: '/v1/departments',
    handler: 'functions/reference/list-departments.ts',
    access: ROLES,
    summary: 'The department hierarchy (city bureau → district bureaus → street brigades, specialists)',
    tag: 'Reference data',
    responses: { 200: { description: 'Departments, by level', schema: DepartmentList }, ...errors(401) },
  },
  putDepartment: {
    method: 'PUT',
    path: '/v1/admin/departments/{id}',
    handler: 'functions/admin/put-department.ts',
    access: ['admin'],
    summary: 'Create or replace a department (parent, type and covered grids are checked)',
    tag: 'Admin',
    request: { params: DepartmentParams, body: DepartmentBody },
    responses: { 200: { description: 'Stored', schema: DepartmentView }, ...errors(400, 401, 403) },
    needs: { table: 'readWrite' },
  },
  listCategories: {
    method: 'GET',
    path: '/v1/categories',
    handler: 'functions/reference/list-categories.ts',
    access: ROLES,
    summary: 'The category catalogue (部件/事件, 大类/小类) with handling time limits',
    tag: 'Reference data',
    responses: { 200: { description: 'Categories, by code', schema: CategoryList }, ...errors(401) },
  },
  putCategory: {
    method: 'PUT',
    path: '/v1/admin/categories/{code}',
    handler: 'functions/admin/put-category.ts',
    access: ['admin'],
    summary: 'Create or replace a category',
    tag: 'Admin',
    request: { params: CategoryParams, body: CategoryBody },
    responses: { 200: { description: 'Stored', schema: CategoryView }, ...errors(400, 401, 403) },
    needs: { table: 'readWrite' },
  },
  locateGrid: {
    method: 'GET',
    path: '/v1/grids/locate',
    handler: 'functions/reference/locate-grid.ts',
    access: ROLES,
    summary: 'The community grid containing a point (WGS84, or GCJ02 with coordSystem=GCJ02)',
    tag: 'Reference data',
    request: { query: LocateQuery },
    responses: { 200: { description: 'The grid', schema: LocateResult }, ...errors(400, 401, 404) },
  },
  putGrid: {
    method: 'PUT',
    path: '/v1/admin/grids/{id}',
    handler: 'functions/admin/put-grid.ts',
    access: ['admin'],
    summary: 'Create or replace a grid polygon (GeoJSON Feature; closed rings, no self-intersection)',
    tag: 'Admin',
    request: { params: GridParams, body: GridFeature },
    responses: { 200: { description: 'Stored', schema: GridView }, ...errors(400, 401, 403) },
    needs: { table: 'readWrite' },
    maxBodyBytes: 2 * 1024 * 1024,
  },
  requestUpload: {
    method: 'POST',
    path: '/v1/uploads',
    handler: 'functions/uploads/request-upload.ts',
    access: ['citizen', 'supervisor', 'handler', 'dispatcher'],
    summary: 'A presigned S3 POST for one before/after photo (type and size bound; key under your own prefix)',
    tag: 'Photos',
    request: { body: UploadBody },
    responses: { 201: { description: 'POST the file to upload.url with upload.fields', schema: UploadResult }, ...errors(400, 401, 403) },
    needs: { table: 'readWrite', bucket: 'upload' },
  },
  reportCase: {
    method: 'POST',
    path: '/v1/cases',
    handler: 'functions/cases/report-case.ts',
    access: ['citizen', 'supervisor'],
    summary: '信息收集 — report a problem (citizen: app/WeChat; supervisor: patrol). Idempotency-Key supported',
    tag: 'Cases',
    request: { body: ReportBody },
    responses: { 201: { description: 'Reported', schema: CaseEnvelope }, ...errors(400, 401, 403, 409) },
    needs: { table: 'readWrite' },
  },
  listMyCases: {
    method: 'GET',
    path: '/v1/me/cases',
    handler: 'functions/cases/list-my-cases.ts',
    access: ROLES,
    summary: '我的案件 — the caller\'s own reports, newest first',
    tag: 'Cases',
    request: { query: PageQuery },
    responses: { 200: { description: 'Cases', schema: CaseListBody }, ...errors(400, 401) },
  },
  getCase: {
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
  },
  listCases: {
    method: 'GET',
    path: '/v1/cases',
    handler: 'functions/cases/list-cases.ts',
    access: STAFF_ROLES,
    summary: 'The staff work queue, oldest first (status, department, grid, overdue)',
    tag: 'Cases',
    request: { query: QueueQuery },
    responses: { 200: { description: 'Cases', schema: CaseListBody }, ...errors(400, 401, 403) },
  },
  fileCase: {
    method: 'POST',
    path: '/v1/cases/{id}/file',
    handler: 'functions/cases/file-case.ts',
    access: ['agent'],
    summary: '立案 — file: classify (category), number and place in a grid',
    tag: 'Case lifecycle',
    request: { params: CaseParams, body: FileBody },
    responses: { 200: { description: 'The case after the step', schema: CaseEnvelope }, ...errors(400, 401, 403, 404, 409) },
    needs: { table: 'readWrite' },
  },
  rejectCase: {
    method: 'POST',
    path: '/v1/cases/{id}/reject',
    handler: 'functions/cases/reject-case.ts',
    access: ['agent'],
    summary: '不予立案 — reject as invalid or duplicate',
    tag: 'Case lifecycle',
    request: { params: CaseParams, body: RejectBody },
    responses: { 200: { description: 'The case after the step', schema: CaseEnvelope }, ...errors(400, 401, 403, 404, 409) },
    needs: { table: 'readWrite' },
  },
  dispatchCase: {
    method: 'POST',
    path: '/v1/cases/{id}/dispatch',
    handler: 'functions/cases/dispatch-case.ts',
    access: ['agent', 'dispatcher'],
    summary: '派遣 — dispatch, or re-dispatch down the hierarchy (no target: the responsible unit by location)',
    tag: 'Case lifecycle',
    request: { params: CaseParams, body: DispatchBody },
    responses: { 200: { description: 'The case after the step', schema: CaseEnvelope }, ...errors(400, 401, 403, 404, 409) },
    needs: { table: 'readWrite' },
  },
  returnCase: {
    method: 'POST',
    path: '/v1/cases/{id}/return',
    handler: 'functions/cases/return-case.ts',
    access: ['dispatcher', 'handler'],
    summary: '回退 — return to the command center (wrong department)',
    tag: 'Case lifecycle',
    request: { params: CaseParams, body: ReturnBody },
    responses: { 200: { description: 'The case after the step', schema: CaseEnvelope }, ...errors(400, 401, 403, 404, 409) },
    needs: { table: 'readWrite' },
  },
  completeCase: {
    method: 'POST',
    path: '/v1/cases/{id}/complete',
    handler: 'functions/cases/complete-case.ts',
    access: ['handler', 'dispatcher'],
    summary: '处置完成 — report done, with at least one after photo',
    tag: 'Case lifecycle',
    request: { params: CaseParams, body: CompleteBody },
    responses: { 200: { description: 'The case after the step', schema: CaseEnvelope }, ...errors(400, 401, 403, 404, 409) },
    needs: { table: 'readWrite' },
  },
  verifyCase: {
    method: 'POST',
    path: '/v1/cases/{id}/verify',
    handler: 'functions/cases/verify-case.ts',
    access: ['agent', 'supervisor'],
    summary: '核查 — compare before/after: close, or send back for rework',
    tag: 'Case lifecycle',
    request: { params: CaseParams, body: VerifyBody },
    responses: { 200: { description: 'The case after the step', schema: CaseEnvelope }, ...errors(400, 401, 403, 404, 409) },
    needs: { table: 'readWrite' },
  },
  rateCase: {
    method: 'POST',
    path: '/v1/cases/{id}/rating',
    handler: 'functions/cases/rate-case.ts',
    access: ['citizen', 'supervisor'],
    summary: '评价 — the reporter rates the result, once, after closing',
    tag: 'Case lifecycle',
    request: { params: CaseParams, body: RatingBody },
    responses: { 200: { description: 'The case after the step', schema: CaseEnvelope }, ...errors(400, 401, 403, 404, 409) },
    needs: { table: 'readWrite' },
  },
  getStatsSummary: {
    method: 'GET',
    path: '/v1/stats/summary',
    handler: 'functions/stats/summary.ts',
    access: ['leader', 'agent', 'admin'],
    summary: 'Received / filed / closed and the closure, on-time, rework and satisfaction rates of a scope',
    tag: 'Statistics',
    request: { query: SummaryQuery },
    responses: { 200: { description: 'Figures', schema: SummaryBody }, ...errors(400, 401, 403) },
  },
  getDepartmentStats: {
    method: 'GET',
    path: '/v1/stats/departments',
    handler: 'functions/stats/departments.ts',
    access: ['leader', 'agent', 'admin'],
    summary: '综合评价 — every department\'s figures and composite score, best first',
    tag: 'Statistics',
    request: { query: RangeQuery },
    responses: { 200: { description: 'Departments', schema: DepartmentStatsBody }, ...errors(400, 401, 403) },
  },
  getGridStats: {
    method: 'GET',
    path: '/v1/stats/grids',
    handler: 'functions/stats/grids.ts',
    access: ['leader', 'agent', 'admin'],
    summary: 'Hotspots: grids and categories with the most cases received',
    tag: 'Statistics',
    request: { query: HotspotQuery },
    responses: { 200: { description: 'Hotspots', schema: HotspotBody }, ...errors(400, 401, 403) },
  },
  exportStats: {
    method: 'GET',
    path: '/v1/stats/export.csv',
    handler: 'functions/stats/export-csv.ts',
    access: ['leader', 'agent', 'admin'],
    summary: 'The city and department figures of a range as CSV (UTF-8 with BOM)',
    tag: 'Statistics',
    request: { query: RangeQuery },
    responses: { 200: { description: 'CSV', contentType: 'text/csv' }, ...errors(400, 401, 403) },
  },
  receiveHotlineTicket: {
    method: 'POST',
    path: '/v1/hotline/tickets',
    handler: 'functions/hotline/receive-ticket.ts',
    access: 'signed',
    summary: '12345 hotline ticket → reported case (Standard Webhooks signature; repeats return the first caseId)',
    tag: 'Hotline',
    // The body is validated inside, after the signature check on the raw bytes (docs/hotline-integration.md).
    documentedBody: HotlineTicketBody,
    responses: {
      202: { description: 'A new case', schema: HotlineAccepted },
      200: { description: 'This ticket was received before: its case', schema: HotlineAccepted },
      ...errors(400, 401),
    },
    needs: { table: 'readWrite', hotlineSecret: true },
  },
  notFound: {
    method: 'GET',
    path: '$default',
    handler: 'functions/system/not-found.ts',
    access: 'public',
    summary: 'Catch-all: any unknown method and path answers 404 in the contract error shape',
    tag: 'System',
    responses: errors(404),
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof routes;

/** A route-table entry with its id (the operationId and the function's logical name). */
export type RouteEntry = RouteSpec & { id: RouteId };

/** The entries as a list, each with its id. */
export const routeList = (): RouteEntry[] =>
  (Object.keys(routes) as RouteId[]).map((id) => ({ id, ...(routes[id] as RouteSpec) }));
