import { ApiError, buildUrl, request, send } from './client';
import type {
  Case,
  CaseDetail,
  CaseStatus,
  Category,
  Department,
  DepartmentStats,
  FieldCheckKind,
  FieldCheckTask,
  MyTask,
  GridCollection,
  Hotspots,
  RequestKind,
  Role,
  Session,
  SimilarCase,
  StaffMember,
  StaffStats,
  StatsSummary,
  StatsTrend,
  Upload,
  User,
} from './types';

export * from './types';
export { ApiError } from './client';

type Transition = { case: Case };

export const sendCode = (phone: string) => request<{ expiresInSeconds: number; resendAfterSeconds: number }>('/v1/auth/sms-codes', { method: 'POST', auth: false, body: { phone, purpose: 'login' } });
export const login = (phone: string, code: string) => request<Session>('/v1/auth/login', { method: 'POST', auth: false, body: { phone, code } });
export const me = () => request<{ user: User }>('/v1/me');
/** Ends the session of this refresh token on the server (204); with the stored token as it is (no refresh). */
export const logout = (stored: { accessToken: string; refreshToken?: string }) =>
  fetch(buildUrl('/v1/auth/logout'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stored.accessToken}` },
    body: JSON.stringify({ refreshToken: stored.refreshToken }),
  });

export interface QueueFilter {
  status?: CaseStatus;
  departmentId?: string;
  overdue?: boolean;
  cursor?: string;
  limit?: number;
}
export const listCases = (filter: QueueFilter) => request<{ items: Case[]; nextCursor?: string }>('/v1/cases', { query: { limit: 50, ...filter } });
export const getCase = (id: string) => request<CaseDetail>(`/v1/cases/${encodeURIComponent(id)}`);

/** Finds a case by its number (`2026-000123` or the label 【2026】字第【123】号) within the caller's scope. */
export async function findByCaseNumber(input: string): Promise<Case | undefined> {
  return (await request<{ items: Case[] }>('/v1/cases', { query: { caseNumber: input.trim() } })).items[0];
}

export const fileCase = (id: string, body: { categoryCode: string; gridId?: string; note?: string; priority?: 'urgent'; expectedVersion?: number }) =>
  request<Transition>(`/v1/cases/${id}/file`, { method: 'POST', body });
export const rejectCase = (id: string, body: { reason: string; expectedVersion?: number }) => request<Transition>(`/v1/cases/${id}/reject`, { method: 'POST', body });
export const dispatchCase = (id: string, body: { departmentId?: string; assigneeId?: string; note?: string; expectedVersion?: number }) =>
  request<Transition>(`/v1/cases/${id}/dispatch`, { method: 'POST', body });
export const returnCase = (id: string, body: { reason: string; expectedVersion?: number }) => request<Transition>(`/v1/cases/${id}/return`, { method: 'POST', body });
export const verifyCase = (id: string, body: { approved: boolean; note?: string; expectedVersion?: number }) => request<Transition>(`/v1/cases/${id}/verify`, { method: 'POST', body });

/**
 * A step with photos just uploaded: the upload processor cleans each photo a moment after the upload,
 * and until then the API answers 409 PHOTO_PENDING (with Retry-After) — so wait a little and try again.
 */
async function withFreshPhotos<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const pending = error instanceof ApiError && error.status === 409 && error.code === 'PHOTO_PENDING';
      if (!pending || attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** 处置完成, with at least one after photo. */
export const completeCase = (id: string, body: { photoKeys: string[]; note?: string; expectedVersion?: number }) =>
  withFreshPhotos(() => request<Transition>(`/v1/cases/${id}/complete`, { method: 'POST', body }));

// — Exceptions: 延期 · 挂账 · 作废 (request, then decision) · 恢复 · 督办 —
export const requestException = (id: string, body: { kind: RequestKind; reason: string; hours?: number; expectedVersion?: number }) =>
  request<Transition>(`/v1/cases/${id}/requests`, { method: 'POST', body });
export const decideRequest = (id: string, body: { approved: boolean; note?: string; expectedVersion?: number }) =>
  request<Transition>(`/v1/cases/${id}/requests/decision`, { method: 'POST', body });
export const resumeCase = (id: string, body: { note?: string; expectedVersion?: number }) => request<Transition>(`/v1/cases/${id}/resume`, { method: 'POST', body });
export const superviseCase = (id: string, body: { note: string; expectedVersion?: number }) => request<Transition>(`/v1/cases/${id}/supervise`, { method: 'POST', body });

// — Field checks by supervisors: 核实 (reported) · 核查 (handled) —
export const requestFieldCheck = (id: string, body: { kind: FieldCheckKind; supervisorId?: string; note?: string; expectedVersion?: number }) =>
  request<Transition>(`/v1/cases/${id}/field-checks`, { method: 'POST', body });
export const answerFieldCheck = (id: string, body: { confirmed: boolean; note?: string; photoKeys?: string[]; expectedVersion?: number }) =>
  withFreshPhotos(() => request<Transition>(`/v1/cases/${id}/field-checks/answer`, { method: 'POST', body }));
/** A supervisor's open field checks (the first 100 of their tasks, urgent first, then by due time). */
export const myTasks = async () => {
  const page = await request<{ items: MyTask[] }>('/v1/me/tasks', { query: { limit: 100 } });
  return { items: page.items.filter((t): t is FieldCheckTask => (t.kind === 'verify-report' || t.kind === 'check-result') && t.case !== undefined && t.dueAt !== undefined) };
};

// — Duplicates —
export const similarCases = (id: string, radius?: number) => request<{ items: SimilarCase[] }>(`/v1/cases/${id}/similar`, { query: { radius } });
export const mergeCase = (id: string, body: { intoCaseId: string; note?: string; expectedVersion?: number }) => request<Transition>(`/v1/cases/${id}/merge`, { method: 'POST', body });

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

/** The staff directory (a dispatcher sees its own department subtree). */
export const staff = async (filter: { departmentId?: string; role?: Role }): Promise<StaffMember[]> =>
  (await request<{ items: StaffMember[] }>('/v1/staff', { query: { ...filter, limit: 100 } })).items;

/** Every grid's outline (for the maps), loaded once. */
let gridsCache: Promise<GridCollection> | undefined;
export function gridsGeoJson(): Promise<GridCollection> {
  gridsCache ??= request<GridCollection>('/v1/grids/geojson').catch((error: unknown) => {
    gridsCache = undefined;
    throw error;
  });
  return gridsCache;
}

export interface Range {
  from: string;
  to: string;
}
export const statsSummary = (range: Range) => request<StatsSummary>('/v1/stats/summary', { query: { ...range } });
/** The summary's figures day by day, in one request. */
export const statsTrend = (range: Range) => request<StatsTrend>('/v1/stats/trend', { query: { ...range } });
export const statsDepartments = (range: Range) => request<DepartmentStats>('/v1/stats/departments', { query: { ...range } });
/** 岗位评价 of one post (leader, admin). */
export const statsStaff = (range: Range, role: StaffStats['role']) => request<StaffStats>('/v1/stats/staff', { query: { ...range, role } });
export const statsGrids = (range: Range, limit = 20) => request<Hotspots>('/v1/stats/grids', { query: { ...range, limit } });
export const exportCsv = (range: Range) => send('/v1/stats/export.csv', { query: { ...range } });

/** The working calendar's years and the year an admin must set now (from December 1 the next one), admins only. */
export const calendarYears = () =>
  request<{ items: Array<{ year: number; holidays: string[]; workdays: string[]; source: 'stored' | 'built-in' }>; missingYear: number | null }>('/v1/admin/calendar');
