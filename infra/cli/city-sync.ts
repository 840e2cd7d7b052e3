import { isDeepStrictEqual } from 'node:util';
import type { ReferenceStore } from '#shared/data/reference-store';
import { withoutVersion } from '#shared/domain/reference/versions';
import { cameraRow } from './cameras.ts';
import { calendarRow, categoryRow, departmentRow, gridRow, type City } from './city-folder.ts';

export type ChangeKind = 'create' | 'update';

/** The kinds of a city, in the order an import prints them. */
export const CITY_KINDS = ['grids', 'departments', 'categories', 'calendar', 'cameras'] as const;
export type CityKind = (typeof CITY_KINDS)[number];
/** One item of each kind, as the import's lines name it (`~ category E0503`, `+ calendar 2027`). */
const ITEM = { grids: 'grid', departments: 'department', categories: 'category', calendar: 'calendar', cameras: 'camera' } as const;
/** Several items of each kind, as the summary counts them. */
const ITEMS = { grids: 'grids', departments: 'departments', categories: 'categories', calendar: 'calendar years', cameras: 'cameras' } as const;

/** What an import would write: per kind, the items that are new or differ from the table's (calendar: the year). */
export type ImportPlan = { [K in CityKind]: Array<{ id: string; change: ChangeKind }> } & {
  /** Items of the table the folder does not have: an import leaves them as they are. */
  untouched: { [K in CityKind]: string[] };
  /** The changed items themselves, ready for the store. */
  writes: Partial<City>;
};

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

/** How many items a plan writes. */
export const changeCount = (plan: ImportPlan) => CITY_KINDS.reduce((sum, kind) => sum + plan[kind].length, 0);

/**
 * 1. Reads the table's reference data; 2. compares each item of the (already validated) city with it.
 * Nothing is written: `--dry-run` prints this plan, an import applies it.
 */
export async function planImport(store: ReferenceStore, city: City): Promise<ImportPlan> {
  const table = await readCity(store);
  const d = diff(city.departments, table.departments, (x) => x.id, departmentRow);
  const g = diff(city.grids, table.grids, (x) => x.id, gridRow);
  const c = diff(city.categories, table.categories, (x) => x.code, categoryRow);
  const y = diff(city.calendar, table.calendar, (x) => String(x.year), calendarRow);
  const v = diff(city.cameras, table.cameras, (x) => x.id, cameraRow);
  const strip = <T>(changes: Array<{ id: string; change: ChangeKind; item: T }>) => changes.map(({ id, change }) => ({ id, change }));
  return {
    departments: strip(d.changes),
    grids: strip(g.changes),
    categories: strip(c.changes),
    calendar: strip(y.changes),
    cameras: strip(v.changes),
    untouched: { departments: d.untouched, grids: g.untouched, categories: c.untouched, calendar: y.untouched, cameras: v.untouched },
    writes: {
      ...(d.changes.length ? { departments: d.changes.map((x) => x.item) } : {}),
      ...(g.changes.length ? { grids: g.changes.map((x) => x.item) } : {}),
      ...(c.changes.length ? { categories: c.changes.map((x) => x.item) } : {}),
      ...(y.changes.length ? { calendar: y.changes.map((x) => x.item) } : {}),
      ...(v.changes.length ? { cameras: v.changes.map((x) => x.item) } : {}),
    },
  };
}

/** Writes the plan's changed items (batched puts, one version bump per kind that changed). */
export async function applyImport(store: ReferenceStore, plan: ImportPlan, audit?: Parameters<ReferenceStore['importAll']>[1]): Promise<number> {
  await store.importAll(plan.writes, audit);
  return changeCount(plan);
}

/** The table's reference data as a city (what `export` writes): without the items' versions (the table's bookkeeping). */
export async function readCity(store: ReferenceStore): Promise<City> {
  const [departments, grids, categories, calendar, cameras] = await Promise.all([store.listDepartments(), store.listGrids(), store.listCategories(), store.listCalendarYears(), store.listCameras()]);
  return { departments: departments.map(withoutVersion), grids: grids.map(withoutVersion), categories: categories.map(withoutVersion), calendar: calendar.map(withoutVersion), cameras };
}

/** One line per change and a summary, as `import` and `import --dry-run` print them. */
export function describePlan(plan: ImportPlan): string[] {
  const lines: string[] = [];
  for (const kind of CITY_KINDS) {
    for (const { id, change } of plan[kind]) lines.push(`  ${change === 'create' ? '+' : '~'} ${ITEM[kind]} ${id}${change === 'update' ? ' (changed)' : ''}`);
  }
  const count = (kind: CityKind, change: ChangeKind) => plan[kind].filter((x) => x.change === change).length;
  lines.push(`  ${CITY_KINDS.map((k) => `${ITEMS[k]}: ${count(k, 'create')} new, ${count(k, 'update')} changed`).join('; ')}`);
  const kept = CITY_KINDS.filter((k) => plan.untouched[k].length > 0).map((k) => `${plan.untouched[k].length} ${ITEMS[k]}`);
  if (kept.length > 0) lines.push(`  not in the folder, left as they are: ${kept.join(', ')}`);
  return lines;
}
