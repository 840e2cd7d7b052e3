/** Reference data: departments, categories and grids (reads for everyone, writes for admins). */
import { errors, type RouteSpec } from './route-spec.ts';
import { ROLES } from '#shared/domain/roles';
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
  responses: { 200: { description: 'Stored', schema: DepartmentView }, ...errors(400, 401, 403) },
  needs: { table: 'readWrite' },
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
  responses: { 200: { description: 'Stored', schema: CategoryView }, ...errors(400, 401, 403) },
  needs: { table: 'readWrite' },
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
  responses: { 200: { description: 'Stored', schema: GridView }, ...errors(400, 401, 403) },
  needs: { table: 'readWrite' },
  maxBodyBytes: 2 * 1024 * 1024,
} as const satisfies RouteSpec;
