import { NotFoundError, ValidationError } from '#shared/domain/errors';
import { toWgs84 } from '#shared/domain/geo/coordinates';
import type { Grid, GridIndex } from '#shared/domain/geo/grid-index';
import type { Category } from './category.ts';
import { levelOf, type Department, type DepartmentTree, type DepartmentType } from './departments.ts';

/** What the reference use cases need: cached reads and the writes. */
export interface ReferenceDeps {
  cache: {
    departments(): Promise<DepartmentTree>;
    categories(): Promise<Map<string, Category>>;
    grids(): Promise<GridIndex>;
    invalidate(kind: 'departments' | 'categories' | 'grids'): void;
  };
  store: {
    putDepartment(value: Department): Promise<void>;
    putCategory(value: Category): Promise<void>;
    putGrid(value: Grid): Promise<void>;
  };
}

export const departmentView = (d: Department) => ({ id: d.id, name: d.name, ...(d.parentId ? { parentId: d.parentId } : {}), level: d.level, type: d.type, gridIds: d.gridIds });

export async function listDepartments(deps: ReferenceDeps) {
  return (await deps.cache.departments()).list().map(departmentView);
}

/**
 * Create or replace a department.
 * 1. Derive its level from its type; 2. check it fits the tree (parent, level, no cycle, grids not
 * taken by another brigade) and that its grids exist; 3. store it (bumping the departments version).
 */
export async function upsertDepartment(deps: ReferenceDeps, id: string, input: { name: string; parentId?: string | undefined; type: DepartmentType; gridIds: string[] }) {
  const candidate: Department = { id, ...input, level: levelOf(input.type), gridIds: [...new Set(input.gridIds)] };
  (await deps.cache.departments()).validateUpsert(candidate);
  const grids = await deps.cache.grids();
  const unknown = candidate.gridIds.filter((gridId) => !grids.has(gridId));
  if (unknown.length > 0) throw new ValidationError('Unknown grids', [{ path: 'gridIds', message: `No grid ${unknown.join(', ')}` }]);
  await deps.store.putDepartment(candidate);
  deps.cache.invalidate('departments');
  return departmentView(candidate);
}

export async function listCategories(deps: ReferenceDeps) {
  return [...(await deps.cache.categories()).values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** Create or replace a category; its default department, if any, must exist. */
export async function upsertCategory(deps: ReferenceDeps, code: string, input: Omit<Category, 'code'>) {
  if (input.defaultDepartmentId && !(await deps.cache.departments()).get(input.defaultDepartmentId)) {
    throw new ValidationError('Unknown department', [{ path: 'defaultDepartmentId', message: `No department ${input.defaultDepartmentId}` }]);
  }
  const category: Category = { code, ...input };
  await deps.store.putCategory(category);
  deps.cache.invalidate('categories');
  return category;
}

/** Create or replace a grid polygon (already validated as GeoJSON without self-intersections). */
export async function upsertGrid(deps: ReferenceDeps, grid: Grid) {
  await deps.store.putGrid(grid);
  deps.cache.invalidate('grids');
  return gridView(grid);
}

export const gridView = (g: Grid) => ({ id: g.id, name: g.name, community: g.community, street: g.street, district: g.district });

/** 定位 — which community grid holds this point (GCJ-02 input converted to WGS84 first). */
export async function locateGrid(deps: Pick<ReferenceDeps, 'cache'>, point: { lat: number; lng: number; coordSystem: 'WGS84' | 'GCJ02' }) {
  const { lat, lng } = toWgs84(point);
  const grid = (await deps.cache.grids()).locate(lat, lng);
  if (!grid) throw new NotFoundError('The point is outside every grid of the city');
  return { gridId: grid.id, name: grid.name, community: grid.community, street: grid.street, district: grid.district };
}
