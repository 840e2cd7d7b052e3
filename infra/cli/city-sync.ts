import { isDeepStrictEqual } from 'node:util';
import type { ReferenceStore } from '#shared/data/reference-store';
import { categoryRow, departmentRow, gridRow, type City } from './city-folder.ts';

export type ChangeKind = 'create' | 'update';

/** What an import would write: per kind, the items that are new or differ from the table's. */
export interface ImportPlan {
  departments: Array<{ id: string; change: ChangeKind }>;
  grids: Array<{ id: string; change: ChangeKind }>;
  categories: Array<{ id: string; change: ChangeKind }>;
  /** Items of the table the folder does not have: an import leaves them as they are. */
  untouched: { departments: string[]; grids: string[]; categories: string[] };
  /** The changed items themselves, ready for the store. */
  writes: Partial<City>;
}

/** Compares each item in its file form, so what an export wrote imports as "nothing to change". */
function diff<T>(wanted: T[], existing: T[], key: (item: T) => string, row: (item: T) => unknown) {
  const current = new Map(existing.map((item) => [key(item), row(item)]));
  const changes: Array<{ id: string; change: ChangeKind; item: T }> = [];
  for (const item of wanted) {
    const before = current.get(key(item));
    if (before === undefined) changes.push({ id: key(item), change: 'create', item });
    else if (!isDeepStrictEqual(JSON.parse(JSON.stringify(before)), JSON.parse(JSON.stringify(row(item))))) changes.push({ id: key(item), change: 'update', item });
  }
  const wantedKeys = new Set(wanted.map(key));
  return { changes, untouched: existing.map(key).filter((k) => !wantedKeys.has(k)) };
}

/**
 * 1. Reads the table's reference data; 2. compares each item of the (already validated) city with it.
 * Nothing is written: `--dry-run` prints this plan, an import applies it.
 */
export async function planImport(store: ReferenceStore, city: City): Promise<ImportPlan> {
  const [departments, grids, categories] = await Promise.all([store.listDepartments(), store.listGrids(), store.listCategories()]);
  const d = diff(city.departments, departments, (x) => x.id, departmentRow);
  const g = diff(city.grids, grids, (x) => x.id, gridRow);
  const c = diff(city.categories, categories, (x) => x.code, categoryRow);
  const strip = <T>(changes: Array<{ id: string; change: ChangeKind; item: T }>) => changes.map(({ id, change }) => ({ id, change }));
  return {
    departments: strip(d.changes),
    grids: strip(g.changes),
    categories: strip(c.changes),
    untouched: { departments: d.untouched, grids: g.untouched, categories: c.untouched },
    writes: {
      ...(d.changes.length ? { departments: d.changes.map((x) => x.item) } : {}),
      ...(g.changes.length ? { grids: g.changes.map((x) => x.item) } : {}),
      ...(c.changes.length ? { categories: c.changes.map((x) => x.item) } : {}),
    },
  };
}

/** Writes the plan's changed items (batched puts, one version bump per kind that changed). */
export async function applyImport(store: ReferenceStore, plan: ImportPlan): Promise<number> {
  await store.importAll(plan.writes);
  return plan.departments.length + plan.grids.length + plan.categories.length;
}

/** The table's reference data as a city (what `export` writes). */
export async function readCity(store: ReferenceStore): Promise<City> {
  const [departments, grids, categories] = await Promise.all([store.listDepartments(), store.listGrids(), store.listCategories()]);
  return { departments, grids, categories };
}

/** One line per change and a summary, as `import` and `import --dry-run` print them. */
export function describePlan(plan: ImportPlan): string[] {
  const lines: string[] = [];
  for (const kind of ['grids', 'departments', 'categories'] as const) {
    for (const { id, change } of plan[kind]) lines.push(`  ${change === 'create' ? '+' : '~'} ${kind.slice(0, -1)} ${id}${change === 'update' ? ' (changed)' : ''}`);
  }
  const count = (kind: 'grids' | 'departments' | 'categories', change: ChangeKind) => plan[kind].filter((x) => x.change === change).length;
  lines.push(
    `  ${(['grids', 'departments', 'categories'] as const).map((k) => `${k}: ${count(k, 'create')} new, ${count(k, 'update')} changed`).join('; ')}`,
  );
  const kept = (['grids', 'departments', 'categories'] as const).filter((k) => plan.untouched[k].length > 0).map((k) => `${plan.untouched[k].length} ${k}`);
  if (kept.length > 0) lines.push(`  not in the folder, left as they are: ${kept.join(', ')}`);
  return lines;
}
