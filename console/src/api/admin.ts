/** 应用维护: the administrator's routes (admin role). Reads are never cached: two admins may be at work. */
import { request } from './client';
import type { components } from './schema';
import type { Category, Department, Role } from './types';

type Schemas = components['schemas'];

export type AdminStaff = Schemas['AdminStaffEntry'];
export type StaffBatchResult = Schemas['StaffBatchResult'];
export type StaffBatchOutcome = StaffBatchResult['items'][number];
export type StaffPatch = Schemas['StaffPatchRequest'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditKind = AuditEntry['kind'];
export type ApiKey = Schemas['ApiKeyList']['items'][number];
export type ApiKeyCreated = Schemas['ApiKeyCreated'];
export type CalendarYear = Schemas['CalendarYearEntry'];
export type CategoryInput = Schemas['CategoryInput'];
export type DepartmentInput = Schemas['DepartmentInput'];
export type DepartmentType = DepartmentInput['type'];
export type GridBatchResult = Schemas['GridBatchResult'];
export type GridFeatureInput = Schemas['GridFeature'] & { id: string };

/**
 * What the versioned admin items (categories, departments, grids, calendar years) carry on reads:
 * `version` is sent back as `If-Match: "<version>"`, and a stale write is 412 naming who changed it.
 */
export interface Versioned {
  version?: number;
  updatedAt?: string;
  updatedBy?: { id: string; displayName: string };
}
/** `If-Match` for an item read with its version (none for an item the API gave no version). */
export const ifMatch = (item: Versioned | undefined): Record<string, string> =>
  item && typeof item.version === 'number' ? { 'if-match': `"${item.version}"` } : {};

// — 人员 —
export interface StaffFilter {
  q?: string;
  /** A whole phone number: the staff member holding it (the API looks it up; no part of a number). */
  phone?: string;
  departmentId?: string;
  role?: Role;
  status?: 'active' | 'disabled';
  cursor?: string;
  limit?: number;
}
export const listAdminStaff = (filter: StaffFilter) => request<{ items: AdminStaff[]; nextCursor?: string }>('/v1/admin/staff', { query: { limit: 50, ...filter } });
/** Every page of the directory (the export), 100 at a time. */
export async function allAdminStaff(filter: Omit<StaffFilter, 'cursor' | 'limit'> = {}): Promise<AdminStaff[]> {
  const all: AdminStaff[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAdminStaff({ ...filter, limit: 100, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
export const createStaff = (body: { phone: string; displayName: string; roles: Role[]; departmentId: string }) =>
  request<{ user: { id: string } }>('/v1/admin/staff', { method: 'POST', body });
export const updateStaff = (id: string, body: StaffPatch) => request<unknown>(`/v1/admin/staff/${encodeURIComponent(id)}`, { method: 'PATCH', body });
export const staffBatch = (items: Array<Record<string, unknown>>, dryRun: boolean) =>
  request<StaffBatchResult>('/v1/admin/staff/batch', { method: 'POST', body: { items, dryRun } });

// — 操作日志 —
export interface AuditFilter {
  from?: string;
  to?: string;
  actorId?: string;
  kind?: AuditKind;
  cursor?: string;
}
export const listAudit = (filter: AuditFilter) => request<{ items: AuditEntry[]; nextCursor?: string }>('/v1/admin/audit', { query: { limit: 50, ...filter } });

// — 开放接口 —
export const listApiKeys = () => request<{ items: ApiKey[] }>('/v1/admin/api-keys');
export const createApiKey = (name: string) => request<ApiKeyCreated>('/v1/admin/api-keys', { method: 'POST', body: { name } });
export const revokeApiKey = (id: string) => request<unknown>(`/v1/admin/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' });

// — 类别 · 部门 —
export type VersionedCategory = Category & Versioned;
export type VersionedDepartment = Department & Versioned;
export const adminCategories = () => request<VersionedCategory[] | { items: VersionedCategory[] }>('/v1/categories').then(listOf);
export const putCategory = (code: string, body: CategoryInput, current?: Versioned) =>
  request<VersionedCategory>(`/v1/admin/categories/${encodeURIComponent(code)}`, { method: 'PUT', body, headers: ifMatch(current) });
export const adminDepartments = () => request<VersionedDepartment[] | { items: VersionedDepartment[] }>('/v1/departments').then(listOf);
export const putDepartment = (id: string, body: DepartmentInput, current?: Versioned) =>
  request<VersionedDepartment>(`/v1/admin/departments/${encodeURIComponent(id)}`, { method: 'PUT', body, headers: ifMatch(current) });

// — 日历 —
export const calendarList = () => request<{ items: CalendarYear[]; missingYear: number | null }>('/v1/admin/calendar');
export const getCalendarYear = (year: number) => request<CalendarYear & Versioned>(`/v1/admin/calendar/${year}`);
export const putCalendarYear = (year: number, body: { holidays: string[]; workdays: string[] }, current?: Versioned) =>
  request<CalendarYear & Versioned>(`/v1/admin/calendar/${year}`, { method: 'PUT', body, headers: ifMatch(current) });

// — 网格 —
export type GridRow = { id: string; name: string; community: string; street: string; district: string } & Versioned;
/** Every grid with its version (`GET /v1/grids`, 100 a page). */
export async function allGrids(): Promise<GridRow[]> {
  const all: GridRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await request<{ items: GridRow[]; nextCursor?: string }>('/v1/grids', { query: { limit: 100, ...(cursor ? { cursor } : {}) } });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
export const gridBatch = (body: { type: 'FeatureCollection'; features: GridFeatureInput[] }, dryRun: boolean) =>
  request<GridBatchResult>('/v1/admin/grids/batch', { method: 'POST', body, query: { dryRun } });

function listOf<T>(body: T[] | { items: T[] }): T[] {
  return Array.isArray(body) ? body : body.items;
}
