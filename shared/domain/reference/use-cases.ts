import { isDeepStrictEqual } from 'node:util';
import * as z from '#shared/validation/zod';
import { BUILT_IN_CALENDAR_YEARS, DEFAULT_CALENDAR, WorkingCalendarSchema, missingCalendarYear, withCalendarYears, type CalendarYear, type WorkingCalendar } from '#shared/domain/calendar';
import { createHash } from 'node:crypto';
import { BusyError, NotFoundError, PreconditionFailedError, ValidationError, type FieldIssue } from '#shared/domain/errors';
import type { AuditActor } from '#shared/domain/audit/chain';
import type { AuditLog, Audited } from '#shared/domain/audit/ports';
import { toWgs84 } from '#shared/domain/geo/coordinates';
import type { Grid, GridIndex } from '#shared/domain/geo/grid-index';
import type { Camera } from './camera.ts';
import type { Category } from './category.ts';
import { DepartmentTree, levelOf, type Department, type DepartmentType } from './departments.ts';
import { versionOf, withoutVersion, type Versioned, type VersionInfo, type WriteOptions } from './versions.ts';

/** What the reference use cases need: cached reads and the writes. */
export interface ReferenceDeps {
  cache: {
    departments(): Promise<DepartmentTree>;
    categories(): Promise<Map<string, Category>>;
    grids(): Promise<GridIndex>;
    calendar(): Promise<WorkingCalendar>;
    cameras(): Promise<Map<string, Camera>>;
    invalidate(kind: 'departments' | 'categories' | 'grids' | 'calendar' | 'cameras'): void;
  };
  store: {
    currentDepartments(): Promise<{ departments: Array<Versioned<Department>>; version: number }>;
    putDepartment(value: Department, version: number, audit?: Audited, item?: { itemVersion: number; by?: WriteOptions['by'] }): Promise<VersionInfo | false>;
    putCategory(value: Category, audit?: Audited, options?: WriteOptions): Promise<VersionInfo>;
    putGrid(value: Grid, audit?: Audited, options?: WriteOptions): Promise<VersionInfo>;
    listGrids(): Promise<Array<Versioned<Grid>>>;
    /** Many items at once (batched puts; each kind's version bumped before and after). */
    importAll(items: { grids?: Grid[] }, audit?: { log: AuditLog; actor: AuditActor; kind: 'grid.batch' }): Promise<void>;
    putCalendarYear(value: CalendarYear, audit?: Audited, options?: WriteOptions): Promise<VersionInfo>;
    listCalendarYears(): Promise<Array<Versioned<CalendarYear>>>;
  };
  /**
   * The open cases' subtree-queue keys (the case store): after a department is stored, the open cases
   * held by it or below it are given the keys of the tree as stored (absent where no department is written).
   */
  cases?: { rekeySubtree(departmentId: string, tree: DepartmentTree): Promise<{ checked: number; rewritten: number }> } | undefined;
  /** The audit record (操作日志): every write of an actor appends its entry in the same transaction. */
  audit?: AuditLog | undefined;
}

/** What the audit record keeps of a grid: its fields and a digest of its outline (an outline may be 350 KB). */
export const gridAuditView = (g: Grid) => ({ ...gridView(g), geometrySha256: createHash('sha256').update(JSON.stringify(g.geometry)).digest('hex') });

/** The audit entry of a write, when it has an actor and the deps a log. */
const recorded = (deps: Pick<ReferenceDeps, 'audit'>, actor: AuditActor | undefined, input: Audited['input']): Audited | undefined => (deps.audit && actor ? { log: deps.audit, input } : undefined);

export const departmentView = (d: Department) => ({ id: d.id, name: d.name, ...(d.parentId ? { parentId: d.parentId } : {}), level: d.level, type: d.type, gridIds: d.gridIds });

/** A department as the API shows it: its fields and its version (If-Match / ETag). */
const versionedDepartment = (d: Department, info: VersionInfo = versionOf(d)) => ({ ...departmentView(d), ...info });

export async function listDepartments(deps: ReferenceDeps) {
  return (await deps.cache.departments()).list().map((d) => versionedDepartment(d));
}

/** Who writes (kept on the item: a stale If-Match names them) from the audit actor. */
const writer = (actor: AuditActor | undefined) => (actor ? { id: actor.actorId, displayName: actor.actorName } : undefined);

/**
 * Create or replace a department.
 * 1. Derive its level from its type; check that its grids exist.
 * 2. Check it fits the tree as stored now (parent, level, no cycle, grids not taken by another brigade),
 *    not as a container cached it.
 * 3. Store it (bumping the departments version) only if no department changed since that read;
 *    otherwise check again: two admins giving one grid to two brigades at once get one 200 and one 400.
 * 4. Re-key the open cases held by it or below it for the subtree queues (a move changes the ancestors
 *    they are listed under). Every PUT of an existing department checks them, and only cases whose keys
 *    differ are written: repeating the PUT finishes a re-keying that was cut short.
 */
export async function upsertDepartment(deps: ReferenceDeps, id: string, input: { name: string; parentId?: string | undefined; type: DepartmentType; gridIds: string[] }, actor?: AuditActor, options: Pick<WriteOptions, 'ifMatch'> = {}) {
  const candidate: Department = { id, ...input, level: levelOf(input.type), gridIds: [...new Set(input.gridIds)] };
  const grids = await deps.cache.grids();
  const unknown = candidate.gridIds.filter((gridId) => !grids.has(gridId));
  if (unknown.length > 0) throw new ValidationError('Unknown grids', [{ path: 'gridIds', message: `No grid ${unknown.join(', ')}` }]);
  let stored: DepartmentTree;
  let existed: boolean;
  let written: VersionInfo;
  for (let attempt = 1; ; attempt++) {
    const { departments, version } = await deps.store.currentDepartments();
    const previous = departments.find((d) => d.id === id);
    // If-Match: the department as read with the tree must still be at the caller's version.
    const current = versionOf(previous ?? {});
    if (options.ifMatch !== undefined && options.ifMatch !== current.version) throw new PreconditionFailedError({ currentVersion: current.version, updatedAt: current.updatedAt, updatedBy: current.updatedBy });
    new DepartmentTree(departments).validateUpsert(candidate);
    const audit = recorded(deps, actor, { ...actor!, kind: 'department.put', target: id, ...(previous ? { before: departmentView(previous) } : {}), after: departmentView(candidate) });
    const result = await deps.store.putDepartment(candidate, version, audit, { itemVersion: current.version, by: writer(actor) });
    if (result) {
      written = result;
      existed = departments.some((d) => d.id === id);
      stored = new DepartmentTree([...departments.filter((d) => d.id !== id), candidate]);
      break;
    }
    if (attempt >= 6) throw new BusyError();
  }
  deps.cache.invalidate('departments');
  if (existed && deps.cases) await deps.cases.rekeySubtree(id, stored);
  return versionedDepartment(candidate, written);
}

export async function listCategories(deps: ReferenceDeps) {
  return [...(await deps.cache.categories()).values()].sort((a, b) => a.code.localeCompare(b.code)).map((c) => ({ ...withoutVersion(c), ...versionOf(c) }));
}

/**
 * Create or replace a category; its default department, if any, must exist. With `ifMatch`, only while
 * the stored category is still at that version (else 412 with who changed it and when).
 */
export async function upsertCategory(deps: ReferenceDeps, code: string, input: Omit<Category, 'code'>, actor?: AuditActor, options: Pick<WriteOptions, 'ifMatch'> = {}) {
  if (input.defaultDepartmentId && !(await deps.cache.departments()).get(input.defaultDepartmentId)) {
    throw new ValidationError('Unknown department', [{ path: 'defaultDepartmentId', message: `No department ${input.defaultDepartmentId}` }]);
  }
  const category: Category = { code, ...input };
  const written = await deps.store.putCategory(category, recorded(deps, actor, (before) => ({ ...actor!, kind: 'category.put', target: code, ...(before ? { before } : {}), after: category })), { ...options, by: writer(actor) });
  deps.cache.invalidate('categories');
  return { ...category, ...written };
}

/** Create or replace a grid polygon (already validated as GeoJSON without self-intersections); `ifMatch` as for categories. */
export async function upsertGrid(deps: ReferenceDeps, grid: Grid, actor?: AuditActor, options: Pick<WriteOptions, 'ifMatch'> = {}) {
  const written = await deps.store.putGrid(grid, recorded(deps, actor, (before) => ({ ...actor!, kind: 'grid.put', target: grid.id, ...(before ? { before: gridAuditView(before as unknown as Grid) } : {}), after: gridAuditView(grid) })), { ...options, by: writer(actor) });
  deps.cache.invalidate('grids');
  return { ...gridView(grid), ...written };
}

/** Grids of one upload (`POST /v1/admin/grids/batch`). */
export const GRID_BATCH_MAX = 500;

/**
 * 网格批量上传 — many grids from one FeatureCollection (admin), all or nothing.
 * 1. Every feature was checked at the edge (GeoJSON, closed rings, no self-intersection); ids must be
 *    unique in the upload — any problem is a 400 and nothing is written.
 * 2. Each grid is compared with the stored one: `created`, `updated` or `unchanged`.
 * 3. Unless a dry run, the created and updated grids are written (batched; the grids version bumped
 *    before and after, so caches reload). A write cut short is finished by sending the same upload again.
 */
export async function importGrids(deps: Pick<ReferenceDeps, 'store' | 'cache' | 'audit'>, grids: Grid[], options: { dryRun: boolean }, actor?: AuditActor) {
  const seen = new Map<string, number>();
  const issues: FieldIssue[] = [];
  grids.forEach((g, i) => {
    const first = seen.get(g.id);
    if (first !== undefined) issues.push({ path: `features.${i}.id`, message: `Grid ${g.id} is also feature ${first}` });
    else seen.set(g.id, i);
  });
  if (issues.length > 0) throw new ValidationError('The grids are not valid', issues, { id: 'request.invalid' });
  const stored = new Map((await deps.store.listGrids()).map((g) => [g.id, g]));
  const plain = (g: Grid) => JSON.parse(JSON.stringify(withoutVersion(g))) as unknown;
  const items = grids.map((g) => {
    const before = stored.get(g.id);
    const outcome = !before ? 'created' : isDeepStrictEqual(plain(before), plain(g)) ? 'unchanged' : 'updated';
    return { id: g.id, outcome } as const;
  });
  const changed = grids.filter((_, i) => items[i]!.outcome !== 'unchanged');
  if (!options.dryRun && changed.length > 0) {
    await deps.store.importAll({ grids: changed }, deps.audit && actor ? { log: deps.audit, actor, kind: 'grid.batch' } : undefined);
    deps.cache.invalidate('grids');
  }
  return { items, dryRun: options.dryRun, written: options.dryRun ? 0 : changed.length };
}

export const gridView = (g: Grid) => ({ id: g.id, name: g.name, community: g.community, street: g.street, district: g.district });

/** 定位 — which community grid holds this point (GCJ-02 input converted to WGS84 first). */
export async function locateGrid(deps: Pick<ReferenceDeps, 'cache'>, point: { lat: number; lng: number; coordSystem: 'WGS84' | 'GCJ02' }) {
  const { lat, lng } = toWgs84(point);
  const grid = (await deps.cache.grids()).locate(lat, lng);
  if (!grid) throw new NotFoundError('The point is outside every grid of the city');
  return { gridId: grid.id, name: grid.name, community: grid.community, street: grid.street, district: grid.district };
}

/**
 * One year of the working calendar as it is stored — dates deduplicated and sorted — with the reasons it
 * may not be stored: a date outside that year, a date both a holiday and a workday. The admin route and
 * the city CLI's `calendar.json` both check a year with it.
 */
export function checkCalendarYear(year: number, input: { holidays: string[]; workdays: string[] }): { value: CalendarYear; issues: FieldIssue[] } {
  const value: CalendarYear = { year, holidays: [...new Set(input.holidays)].sort(), workdays: [...new Set(input.workdays)].sort() };
  const issues: FieldIssue[] = [];
  for (const list of ['holidays', 'workdays'] as const) {
    input[list].forEach((date, index) => {
      if (!date.startsWith(`${year}-`)) issues.push({ path: `${list}.${index}`, message: `${date} is not in ${year}` });
    });
  }
  const holidays = new Set(value.holidays);
  input.workdays.forEach((date, index) => {
    if (holidays.has(date)) issues.push({ path: `workdays.${index}`, message: `${date} is both a holiday and a workday` });
  });
  return { value, issues };
}

/**
 * 工作日历 — store one year's holidays and make-up working days (admin).
 * 1. Every date must lie in that year, and none may be both a holiday and a workday ({@link checkCalendarYear}).
 * 2. The calendar with this year replaced must still be valid (checked before anything is written).
 * 3. Store it (bumping the calendar's version): deadlines computed from then on use it; `dueAt` values
 *    already set stay as they are.
 */
export async function putCalendarYear(deps: ReferenceDeps, year: number, input: { holidays: string[]; workdays: string[] }, actor?: AuditActor, options: Pick<WriteOptions, 'ifMatch'> = {}) {
  const { value, issues } = checkCalendarYear(year, input);
  if (issues.length > 0) throw new ValidationError('The calendar is not valid', issues, { id: 'calendar.invalid' });
  z.parse(WorkingCalendarSchema, withCalendarYears(await deps.cache.calendar(), [value]));
  const written = await deps.store.putCalendarYear(value, recorded(deps, actor, (before) => ({ ...actor!, kind: 'calendar.put', target: String(year), ...(before ? { before } : {}), after: value })), { ...options, by: writer(actor) });
  deps.cache.invalidate('calendar');
  return { ...value, ...written };
}

/** A year of the working calendar and where it comes from: stored by the city, or the built-in dates (2026). */
export type CalendarYearSource = 'stored' | 'built-in';

/**
 * Every year the working calendar knows — stored ones, and the built-in years nobody replaced — and the
 * year the city must set now, if any ({@link missingCalendarYear}: from December 1 the next year).
 * Read from the table, not the cache: an admin who just set a year sees it at once.
 */
export async function calendarYears(deps: Pick<ReferenceDeps, 'store'>, now: Date) {
  const stored = await deps.store.listCalendarYears();
  const storedYears = new Set(stored.map((y) => y.year));
  const builtIn = BUILT_IN_CALENDAR_YEARS.filter((year) => !storedYears.has(year)).map((year) => ({
    year,
    holidays: DEFAULT_CALENDAR.holidays.filter((d) => d.startsWith(`${year}-`)),
    workdays: DEFAULT_CALENDAR.workdays.filter((d) => d.startsWith(`${year}-`)),
    source: 'built-in' as CalendarYearSource,
    version: 0,
  }));
  const items = [...stored.map((y) => ({ ...y, source: 'stored' as CalendarYearSource })), ...builtIn].sort((a, b) => a.year - b.year);
  return { items, missingYear: missingCalendarYear(now, items.map((y) => y.year)) ?? null };
}

/** One year of the working calendar (stored or built in); 404 when nobody set it — its holidays count as working days. */
export async function getCalendarYear(deps: Pick<ReferenceDeps, 'store'>, year: number) {
  const found = (await calendarYears(deps, new Date())).items.find((y) => y.year === year);
  if (!found) throw new NotFoundError(`The calendar of ${year} is not set: its holidays count as working days`, { id: 'calendar.year-missing', params: { year } });
  return found;
}

/** 网格列表 — the grids by id, a page at a time (the cursor is the last id of the page before). */
export async function listGrids(deps: Pick<ReferenceDeps, 'cache'>, page: { limit: number; cursor?: string | undefined }) {
  let after = '';
  if (page.cursor) {
    after = Buffer.from(page.cursor, 'base64url').toString('utf8');
    if (!after.startsWith('g:')) throw new ValidationError('The cursor is not valid for this list', [{ path: 'query.cursor', message: 'Use nextCursor from the previous page of the same list' }], { id: 'request.bad-cursor' });
    after = after.slice(2);
  }
  const grids = (await deps.cache.grids()).list().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest = grids.filter((g) => g.id > after);
  const items = rest.slice(0, page.limit);
  const more = rest.length > items.length;
  return { items: items.map((g) => ({ ...gridView(g), ...versionOf(g) })), ...(more ? { nextCursor: Buffer.from(`g:${items.at(-1)!.id}`).toString('base64url') } : {}) };
}

/**
 * 视频巡查 — the city's cameras by id (staff: a supervisor reporting from a camera picks one), each with
 * the grid its place lies in, located with the grids as they are now.
 */
export async function listCameras(deps: Pick<ReferenceDeps, 'cache'>) {
  const [cameras, grids] = await Promise.all([deps.cache.cameras(), deps.cache.grids()]);
  const items = [...cameras.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    items: items.map((c) => {
      const gridId = grids.locate(c.location.lat, c.location.lng)?.id;
      return { id: c.id, name: c.name, location: c.location, ...(gridId ? { gridId } : {}) };
    }),
  };
}
