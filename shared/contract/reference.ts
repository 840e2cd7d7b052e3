/** Reference data: departments, categories and grids (reads for everyone, writes for admins). */
import { errors, type RouteSpec } from './route-spec.ts';
import { ROLES, STAFF_ROLES } from '#shared/domain/roles';
import {
  CategoryBody,
  CategoryList,
  CategoryParams,
  CategoryView,
  DepartmentBody,
  DepartmentList,
  DepartmentParams,
  DepartmentView,
  CalendarParams,
  CalendarYearBody,
  CalendarYearView,
  CameraList,
  CalendarYearEntry,
  CalendarYearList,
  GridFeature,
  GridBatchBody,
  GridBatchQuery,
  GridBatchResult,
  GridList,
  GridParams,
  GridsGeoJson,
  VersionedGridView,
  LocateQuery,
  LocateResult,
} from '#shared/schemas/reference';
import { PageQuery } from '#shared/schemas/common';

export const listDepartments = {
  method: 'GET',
  path: '/v1/departments',
  handler: 'functions/reference/list-departments.ts',
  access: ROLES,
  summary: 'The department hierarchy (city bureau → district bureaus → street brigades, specialists)',
  tag: 'Reference data',
  responses: { 200: { description: 'Departments, by level', schema: DepartmentList }, ...errors(401) },
} as const satisfies RouteSpec;

export const putDepartment = {
  method: 'PUT',
  path: '/v1/admin/departments/{id}',
  handler: 'functions/admin/put-department.ts',
  access: ['admin'],
  summary: 'Create or replace a department (parent, type and covered grids are checked)',
  tag: 'Admin',
  request: { params: DepartmentParams, body: DepartmentBody },
  responses: { 200: { description: 'Stored, with its new version (also the ETag)', schema: DepartmentView }, ...errors(400, 401, 403, 412) },
  needs: { table: 'readWrite', auditKey: true },
  versioned: 'write',
} as const satisfies RouteSpec;

export const listCategories = {
  method: 'GET',
  path: '/v1/categories',
  handler: 'functions/reference/list-categories.ts',
  access: ROLES,
  summary: 'The category catalogue (部件/事件, 大类/小类) with handling time limits',
  tag: 'Reference data',
  responses: { 200: { description: 'Categories, by code', schema: CategoryList }, ...errors(401) },
} as const satisfies RouteSpec;

export const putCategory = {
  method: 'PUT',
  path: '/v1/admin/categories/{code}',
  handler: 'functions/admin/put-category.ts',
  access: ['admin'],
  summary: 'Create or replace a category',
  tag: 'Admin',
  request: { params: CategoryParams, body: CategoryBody },
  responses: { 200: { description: 'Stored, with its new version (also the ETag)', schema: CategoryView }, ...errors(400, 401, 403, 412) },
  needs: { table: 'readWrite', auditKey: true },
  versioned: 'write',
} as const satisfies RouteSpec;

export const locateGrid = {
  method: 'GET',
  path: '/v1/grids/locate',
  handler: 'functions/reference/locate-grid.ts',
  access: ROLES,
  summary: 'The community grid containing a point (WGS84, or GCJ02 with coordSystem=GCJ02)',
  tag: 'Reference data',
  request: { query: LocateQuery },
  responses: { 200: { description: 'The grid', schema: LocateResult }, ...errors(400, 401, 404) },
} as const satisfies RouteSpec;

export const putGrid = {
  method: 'PUT',
  path: '/v1/admin/grids/{id}',
  handler: 'functions/admin/put-grid.ts',
  access: ['admin'],
  summary: 'Create or replace a grid polygon (GeoJSON Feature; closed rings, no self-intersection)',
  tag: 'Admin',
  request: { params: GridParams, body: GridFeature },
  responses: { 200: { description: 'Stored, with its new version (also the ETag)', schema: VersionedGridView }, ...errors(400, 401, 403, 412) },
  needs: { table: 'readWrite', auditKey: true },
  versioned: 'write',
  maxBodyBytes: 2 * 1024 * 1024,
} as const satisfies RouteSpec;

export const listGrids = {
  method: 'GET',
  path: '/v1/grids',
  handler: 'functions/reference/list-grids.ts',
  access: STAFF_ROLES,
  summary: 'The community grids by id (e.g. to pick the gridId of a hotline case without a location)',
  tag: 'Reference data',
  request: { query: PageQuery },
  responses: { 200: { description: 'Grids', schema: GridList }, ...errors(400, 401, 403) },
} as const satisfies RouteSpec;

export const listCameras = {
  method: 'GET',
  path: '/v1/cameras',
  handler: 'functions/reference/list-cameras.ts',
  access: STAFF_ROLES,
  summary: '视频巡查 — the city\'s cameras (from the city folder\'s cameras.csv): a supervisor reporting from a camera picks one',
  tag: 'Reference data',
  responses: { 200: { description: 'Cameras, by id', schema: CameraList }, ...errors(401, 403) },
} as const satisfies RouteSpec;

export const gridsGeoJson = {
  method: 'GET',
  path: '/v1/grids/geojson',
  handler: 'functions/reference/grids-geojson.ts',
  access: ROLES,
  summary: 'Every grid as a GeoJSON FeatureCollection for maps (geometry simplified for display)',
  tag: 'Reference data',
  responses: { 200: { description: 'FeatureCollection', schema: GridsGeoJson }, ...errors(401) },
} as const satisfies RouteSpec;

export const putCalendarYear = {
  method: 'PUT',
  path: '/v1/admin/calendar/{year}',
  handler: 'functions/admin/put-calendar.ts',
  access: ['admin'],
  summary: 'Set one year of the working calendar: holidays and make-up working days (deadlines computed from then on use it)',
  tag: 'Admin',
  request: { params: CalendarParams, body: CalendarYearBody },
  responses: { 200: { description: 'Stored, with its new version (also the ETag)', schema: CalendarYearView }, ...errors(400, 401, 403, 412) },
  needs: { table: 'readWrite', auditKey: true },
  versioned: 'write',
} as const satisfies RouteSpec;

export const listCalendarYears = {
  method: 'GET',
  path: '/v1/admin/calendar',
  handler: 'functions/admin/list-calendar.ts',
  access: ['admin'],
  summary: 'The working calendar\'s years (stored and built-in) and the year that must be set now (missingYear: from December 1 the next one)',
  tag: 'Admin',
  responses: { 200: { description: 'The years, oldest first', schema: CalendarYearList }, ...errors(401, 403) },
} as const satisfies RouteSpec;

export const getCalendarYear = {
  method: 'GET',
  path: '/v1/admin/calendar/{year}',
  handler: 'functions/admin/get-calendar.ts',
  access: ['admin'],
  summary: 'One year of the working calendar; 404 when nobody set it (its holidays then count as working days)',
  tag: 'Admin',
  request: { params: CalendarParams },
  responses: { 200: { description: 'The year', schema: CalendarYearEntry }, ...errors(400, 401, 403, 404) },
  versioned: 'read',
} as const satisfies RouteSpec;

export const importGridBatch = {
  method: 'POST',
  path: '/v1/admin/grids/batch',
  handler: 'functions/admin/batch-grids.ts',
  access: ['admin'],
  summary: 'Create or replace many grids from one FeatureCollection: every feature is checked first, any problem is a 400 and nothing is written',
  tag: 'Admin',
  request: { query: GridBatchQuery, body: GridBatchBody },
  responses: { 200: { description: 'Each grid\'s outcome', schema: GridBatchResult }, ...errors(400, 401, 403, 413) },
  needs: { table: 'readWrite', auditKey: true },
  maxBodyBytes: 5 * 1024 * 1024,
} as const satisfies RouteSpec;
