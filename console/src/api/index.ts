import { ApiError, isMissingFeature, request, send } from './client';
import type { Case, CaseDetail, CaseStatus, Category, Department, DepartmentStats, GridCollection, Hotspots, Session, StaffMember, StatsSummary, Upload, User } from './types';

export * from './types';
export { ApiError } from './client';

type Transition = { case: Case };

export const sendCode = (phone: string) => request<{ expiresInSeconds: number; resendAfterSeconds: number }>('/v1/auth/sms-codes', { method: 'POST', auth: false, body: { phone, purpose: 'login' } });
export const login = (phone: string, code: string) => request<Session>('/v1/auth/login', { method: 'POST', auth: false, body: { phone, code } });
export const me = () => request<{ user: User }>('/v1/me');

export interface QueueFilter {
  status?: CaseStatus;
  departmentId?: string;
  overdue?: boolean;
  cursor?: string;
  limit?: number;
}
export const listCases = (filter: QueueFilter) => request<{ items: Case[]; nextCursor?: string }>('/v1/cases', { query: { limit: 50, ...filter } });
export const getCase = (id: string) => request<CaseDetail>(`/v1/cases/${encodeURIComponent(id)}`);

/**
 * Finds a case by its number (`2026-000123` or the label 【2026】字第【123】号). Uses `?caseNumber=` where the
 * API has it; before that route exists (the query is refused as unknown) it looks through the queues the
 * caller can read.
 */
export async function findByCaseNumber(input: string, statuses: CaseStatus[]): Promise<Case | undefined> {
  const wanted = normaliseCaseNumber(input);
  try {
    const found = await request<{ items: Case[] }>('/v1/cases', { query: { caseNumber: input.trim() } });
    return found.items[0];
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 400 && !isMissingFeature(error))) throw error;
  }
  for (const status of statuses) {
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await listCases({ status, limit: 100, ...(cursor ? { cursor } : {}) });
      const hit = result.items.find((c) => c.caseNumber && normaliseCaseNumber(c.caseNumber) === wanted);
      if (hit) return hit;
      cursor = result.nextCursor;
      if (!cursor) break;
    }
  }
  return undefined;
}

/** `2026-000123`, `2026-123` and 【2026】字第【123】号 are one number. */
export function normaliseCaseNumber(input: string): string {
  const digits = input.match(/\d+/g) ?? [];
  if (digits.length < 2) return input.trim();
  return `${digits[0]}-${String(Number(digits[1]))}`;
}

export const fileCase = (id: string, body: { categoryCode: string; gridId?: string; note?: string; priority?: 'urgent'; expectedVersion?: number }) =>
  request<Transition>(`/v1/cases/${id}/file`, { method: 'POST', body });
export const rejectCase = (id: string, body: { reason: string; expectedVersion?: number }) => request<Transition>(`/v1/cases/${id}/reject`, { method: 'POST', body });
export const dispatchCase = (id: string, body: { departmentId?: string; assigneeId?: string; note?: string; expectedVersion?: number }) =>
  request<Transition>(`/v1/cases/${id}/dispatch`, { method: 'POST', body });
export const returnCase = (id: string, body: { reason: string; expectedVersion?: number }) => request<Transition>(`/v1/cases/${id}/return`, { method: 'POST', body });
export const verifyCase = (id: string, body: { approved: boolean; note?: string; expectedVersion?: number }) => request<Transition>(`/v1/cases/${id}/verify`, { method: 'POST', body });

/**
 * 处置完成 with photos just uploaded: the upload processor cleans each photo a moment after the upload,
 * and until then the API answers 400 "still being checked" — so wait a little and try again.
 */
export async function completeCase(id: string, body: { photoKeys: string[]; note?: string; expectedVersion?: number }): Promise<Transition> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request<Transition>(`/v1/cases/${id}/complete`, { method: 'POST', body });
    } catch (error) {
      const pending = error instanceof ApiError && error.status === 400 && error.details.some((d) => d.path.startsWith('photoKeys'));
      if (!pending || attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Uploads a photo the way the contract says: a presigned POST straight to the bucket. */
export async function uploadPhoto(file: File, kind: 'before' | 'after'): Promise<string> {
  const contentType = file.type === 'image/png' || file.type === 'image/webp' ? file.type : 'image/jpeg';
  const upload = await request<Upload>('/v1/uploads', { method: 'POST', body: { kind, contentType, size: file.size } });
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.upload.fields)) form.append(name, value);
  form.append('file', file);
  const posted = await fetch(upload.upload.url, { method: 'POST', body: form });
  if (posted.status >= 300) throw new ApiError(posted.status, 'UPLOAD_FAILED', `照片上传失败（${posted.status}）`);
  return upload.photoKey;
}

let categoriesCache: Promise<Category[]> | undefined;
export const categories = () => (categoriesCache ??= request<Category[] | { items: Category[] }>('/v1/categories').then(listOf));
let departmentsCache: Promise<Department[]> | undefined;
export const departments = () => (departmentsCache ??= request<Department[] | { items: Department[] }>('/v1/departments').then(listOf));
function listOf<T>(body: T[] | { items: T[] }): T[] {
  return Array.isArray(body) ? body : body.items;
}

/** The staff directory; `undefined` while `GET /v1/staff` does not exist (the page then asks for an id). */
export async function staff(filter: { departmentId?: string; role?: string }): Promise<StaffMember[] | undefined> {
  try {
    return (await request<{ items: StaffMember[] }>('/v1/staff', { query: { ...filter, limit: 100 } })).items;
  } catch (error) {
    if (isMissingFeature(error)) return undefined;
    throw error;
  }
}

/** Every grid's outline; `undefined` while `GET /v1/grids/geojson` does not exist. */
let gridsCache: Promise<GridCollection | undefined> | undefined;
export function gridsGeoJson(): Promise<GridCollection | undefined> {
  gridsCache ??= request<GridCollection>('/v1/grids/geojson').catch((error) => {
    gridsCache = undefined;
    if (isMissingFeature(error)) return undefined;
    throw error;
  });
  return gridsCache;
}

export interface Range {
  from: string;
  to: string;
}
export const statsSummary = (range: Range) => request<StatsSummary>('/v1/stats/summary', { query: { ...range } });
export const statsDepartments = (range: Range) => request<DepartmentStats>('/v1/stats/departments', { query: { ...range } });
export const statsGrids = (range: Range, limit = 20) => request<Hotspots>('/v1/stats/grids', { query: { ...range, limit } });
export const exportCsv = (range: Range) => send('/v1/stats/export.csv', { query: { ...range } });
