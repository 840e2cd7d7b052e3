import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '#shared/validation/zod';
import { DEFAULT_CALENDAR, WorkingCalendarSchema, withCalendarYears, type CalendarYear } from '#shared/domain/calendar';
import { ValidationError } from '#shared/domain/errors';
import type { Grid } from '#shared/domain/geo/grid-index';
import type { Camera } from '#shared/domain/reference/camera';
import type { Category } from '#shared/domain/reference/category';
import { DEFAULT_CATALOGUE } from '#shared/domain/reference/default-catalogue';
import { DepartmentTree, levelOf, type Department } from '#shared/domain/reference/departments';
import { checkCalendarYear } from '#shared/domain/reference/use-cases';
import { withoutVersion } from '#shared/domain/reference/versions';
import { CAMERAS_FILE, readCameras, writeCameras } from './cameras.ts';
import { CalendarParams, CalendarYearBody, CategoryBody, CategoryParams, DepartmentBody, GridFeature, Slug } from '#shared/schemas/reference';

/**
 * A city folder: the reference data a city runs on, in the shapes the admin routes take, one file per
 * kind. `npm run city -- import <dir>` loads one, `export <dir>` writes one; the demo city
 * (`infra/local/demo-city/`) is one.
 *
 * - `departments.json`: `[{ id, name, parentId?, type, gridIds }]` (the body of `PUT /v1/admin/departments/{id}` plus its id)
 * - `grids.geojson`: a GeoJSON FeatureCollection; each Feature has an `id` and the body of `PUT /v1/admin/grids/{id}`
 * - `categories.json`: `[{ code, name, group, majorClass, timeLimit, … }]` (`PUT /v1/admin/categories/{code}` plus its code);
 *   optional: without it the city takes the default catalogue (national classification)
 * - `calendar.json`: `[{ year, holidays, workdays }]`, one item per year of the working calendar (the body of
 *   `PUT /v1/admin/calendar/{year}` plus its year, as that route answers); optional: without it no year is
 *   stored and the built-in calendar applies (`shared/domain/calendar.ts`)
 * - `cameras.csv`: `id,name,lat,lng`, the cameras of the video network (视频巡查, `./cameras.ts`); optional
 */
export const CITY_FILES = { departments: 'departments.json', grids: 'grids.geojson', categories: 'categories.json', calendar: 'calendar.json', cameras: CAMERAS_FILE } as const;

const DepartmentsFile = z.array(z.extend(DepartmentBody, { id: Slug }));
const GridsFile = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.intersection(GridFeature, z.object({ id: Slug }))) });
const CategoriesFile = z.array(z.extend(CategoryBody, { code: CategoryParams.shape.code }));
const CalendarFile = z.array(z.extend(CalendarYearBody, { year: CalendarParams.shape.year }));

export interface City {
  departments: Department[];
  grids: Grid[];
  categories: Category[];
  /** Stored years of the working calendar (holidays and make-up working days), dates sorted. */
  calendar: CalendarYear[];
  /** The cameras of the video network (视频巡查). */
  cameras: Camera[];
}

/** A city folder that does not hold together: every problem, with the file and the path in it. */
export class CityFolderError extends Error {
  constructor(readonly problems: string[]) {
    super(`The city folder is not valid:\n  ${problems.join('\n  ')}`);
    this.name = 'CityFolderError';
  }
}

const issues = (file: string, error: z.core.$ZodError) => error.issues.map((i) => `${file} ${i.path.join('.') || '(root)'}: ${i.message}`);

function readJson(dir: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (error) {
    throw new CityFolderError([`${file}: ${(error as Error).message}`]);
  }
}

const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

/**
 * Reads and checks a city folder as a whole, with the admin routes' own schemas and the department
 * tree's rules (parents before children, levels, one brigade per grid): department grids must be grids of
 * the folder, a category's default department one of its departments, and ids unique.
 */
export function readCityFolder(dir: string): City {
  const problems: string[] = [];
  const parse = <T>(file: string, schema: z.core.$ZodType<T>, fallback: T): T => {
    const result = z.safeParse(schema, readJson(dir, file));
    if (result.success) return result.data;
    problems.push(...issues(file, result.error));
    return fallback;
  };
  const departmentRows = parse(CITY_FILES.departments, DepartmentsFile, []);
  const gridRows = parse(CITY_FILES.grids, GridsFile, { type: 'FeatureCollection', features: [] });
  const categoryRows: Category[] = existsSync(join(dir, CITY_FILES.categories)) ? parse(CITY_FILES.categories, CategoriesFile, []) : [...DEFAULT_CATALOGUE];
  const calendarRows = existsSync(join(dir, CITY_FILES.calendar)) ? parse(CITY_FILES.calendar, CalendarFile, []) : [];
  const { cameras, problems: cameraProblems } = existsSync(join(dir, CITY_FILES.cameras)) ? readCameras(dir) : { cameras: [], problems: [] };
  problems.push(...cameraProblems);

  const grids: Grid[] = gridRows.features.map((f) => ({ id: f.id, ...f.properties, geometry: f.geometry }));
  for (const id of duplicates(grids.map((g) => g.id))) problems.push(`${CITY_FILES.grids}: grid ${id} appears twice`);
  for (const id of duplicates(departmentRows.map((d) => d.id))) problems.push(`${CITY_FILES.departments}: department ${id} appears twice`);
  for (const code of duplicates(categoryRows.map((c) => c.code))) problems.push(`${CITY_FILES.categories}: category ${code} appears twice`);
  for (const year of duplicates(calendarRows.map((y) => String(y.year)))) problems.push(`${CITY_FILES.calendar}: year ${year} appears twice`);

  // Parents first, so each department is checked against the tree as the admin route would check it.
  const gridIds = new Set(grids.map((g) => g.id));
  const departments: Department[] = [];
  const candidates = departmentRows.map((d) => ({ ...d, gridIds: [...new Set(d.gridIds)], level: levelOf(d.type) })).sort((a, b) => a.level - b.level);
  for (const candidate of candidates) {
    try {
      new DepartmentTree(departments).validateUpsert(candidate);
      departments.push(candidate);
    } catch (error) {
      problems.push(`${CITY_FILES.departments} ${candidate.id}: ${(error as Error).message}${detailsOf(error)}`);
    }
    const unknown = candidate.gridIds.filter((id) => !gridIds.has(id));
    if (unknown.length > 0) problems.push(`${CITY_FILES.departments} ${candidate.id}: no grid ${unknown.join(', ')} in ${CITY_FILES.grids}`);
  }
  const departmentIds = new Set(departmentRows.map((d) => d.id));
  for (const c of categoryRows) {
    if (c.defaultDepartmentId && !departmentIds.has(c.defaultDepartmentId)) problems.push(`${CITY_FILES.categories} ${c.code}: no department ${c.defaultDepartmentId} in ${CITY_FILES.departments}`);
  }
  // Each year as `PUT /v1/admin/calendar/{year}` checks it: its dates in that year, none both a holiday and a workday,
  // and the calendar with the years in place still valid.
  const calendar: CalendarYear[] = [];
  for (const row of calendarRows) {
    const { value, issues: dateIssues } = checkCalendarYear(row.year, row);
    problems.push(...dateIssues.map((i) => `${CITY_FILES.calendar} ${row.year} ${i.path}: ${i.message}`));
    if (dateIssues.length === 0) calendar.push(value);
  }
  const merged = WorkingCalendarSchema.safeParse(withCalendarYears(DEFAULT_CALENDAR, calendar));
  if (!merged.success) problems.push(...issues(CITY_FILES.calendar, merged.error));
  if (problems.length > 0) throw new CityFolderError(problems);
  return { departments, grids, categories: categoryRows, calendar, cameras };
}

/** The `details` of a domain ValidationError, appended to its message. */
function detailsOf(error: unknown): string {
  return error instanceof ValidationError && error.details.length ? ` (${error.details.map((d) => d.message).join('; ')})` : '';
}

/**
 * The file form of each kind (what a folder holds, what an import compares): never the items' version,
 * updatedAt or updatedBy (the table's bookkeeping), so an export imports back as "nothing to change".
 */
export const departmentRow = (d: Department) => ({ id: d.id, name: d.name, ...(d.parentId ? { parentId: d.parentId } : {}), type: d.type, gridIds: d.gridIds });
export const gridRow = (g: Grid) => {
  const { id, geometry, ...properties } = withoutVersion(g);
  return { type: 'Feature' as const, id, properties, geometry };
};
export const categoryRow = (c: Category) => withoutVersion(c);
export const calendarRow = (y: CalendarYear) => ({ year: y.year, holidays: y.holidays, workdays: y.workdays });

/** Writes a city folder (every file, categories and calendar included) that {@link readCityFolder} reads back. */
export function writeCityFolder(dir: string, city: City): void {
  mkdirSync(dir, { recursive: true });
  const write = (file: string, value: unknown) => writeFileSync(join(dir, file), `${JSON.stringify(value, null, 1)}\n`);
  const byId = <T extends { id: string }>(a: T, b: T) => a.id.localeCompare(b.id);
  write(CITY_FILES.departments, [...city.departments].sort((a, b) => a.level - b.level || a.id.localeCompare(b.id)).map(departmentRow));
  write(CITY_FILES.grids, { type: 'FeatureCollection', features: [...city.grids].sort(byId).map(gridRow) });
  write(CITY_FILES.categories, [...city.categories].sort((a, b) => a.code.localeCompare(b.code)).map(categoryRow));
  write(CITY_FILES.calendar, [...city.calendar].sort((a, b) => a.year - b.year).map(calendarRow));
  writeCameras(dir, city.cameras);
}
