import type { CalendarYear } from '#shared/domain/calendar';
import type { Grid } from '#shared/domain/geo/grid-index';
import type { Category } from '#shared/domain/reference/category';
import type { Department } from '#shared/domain/reference/departments';
import { withConflictRetry } from './conditions.ts';
import type { DbOf } from './db.ts';
import { calendarYearEntity, categoryEntity, departmentEntity, gridEntity, referenceVersionEntity } from './entities/reference.ts';

/** The reference entities (every write bumps `referenceVersion` in the same transaction). */
export const REFERENCE_ENTITIES = { department: departmentEntity, category: categoryEntity, grid: gridEntity, referenceVersion: referenceVersionEntity, calendarYear: calendarYearEntity };
type ReferenceDb = DbOf<typeof REFERENCE_ENTITIES>;

type TransactionEntities = Parameters<Parameters<ReferenceDb['transaction']['write']>[0]>[0];

export type ReferenceKind = 'departments' | 'categories' | 'grids' | 'calendar';

/**
 * Reference data on the single table. Every write bumps its kind's version in the same transaction,
 * so containers that cached the kind see the change on their next version check.
 */
export function createReferenceStore(db: ReferenceDb, now: () => Date = () => new Date()) {
  const entities = db.entities; // built at first use (see getDb)

  const bump = (entities: TransactionEntities, kind: ReferenceKind) => entities.referenceVersion.update({ kind }).add({ version: 1 }).commit();
  const mustCommit = async (run: () => Promise<{ canceled: boolean; data: Array<{ code?: string | undefined }> }>) => {
    const result = await withConflictRetry(run);
    if (result.canceled) throw new Error(`Reference write cancelled: ${result.data.map((d) => d.code).join(',')}`);
  };

  return {
    async version(kind: ReferenceKind): Promise<number> {
      const { data } = await entities.referenceVersion.get({ kind }).go({ consistent: true });
      return data?.version ?? 0;
    },

    async listDepartments(): Promise<Department[]> {
      const { data } = await entities.department.query.all({}).go({ pages: 'all' });
      return data.map(({ updatedAt: _u, ...d }) => d);
    },
    async putDepartment(value: Department) {
      await mustCommit(() =>
        db.transaction.write((e) => [e.department.put({ ...value, updatedAt: now().toISOString() }).commit(), bump(e, 'departments')]).go(),
      );
    },

    async listCategories(): Promise<Category[]> {
      const { data } = await entities.category.query.all({}).go({ pages: 'all' });
      return data.map(({ updatedAt: _u, workingHours, urgentHours, ...c }) => ({ ...c, timeLimit: { workingHours, ...(urgentHours !== undefined ? { urgentHours } : {}) } }));
    },
    async putCategory(value: Category) {
      const { timeLimit, ...rest } = value;
      await mustCommit(() =>
        db.transaction
          .write((e) => [e.category.put({ ...rest, workingHours: timeLimit.workingHours, urgentHours: timeLimit.urgentHours, updatedAt: now().toISOString() }).commit(), bump(e, 'categories')])
          .go(),
      );
    },

    async listGrids(): Promise<Grid[]> {
      const { data } = await entities.grid.query.all({}).go({ pages: 'all' });
      return data.map(({ updatedAt: _u, geometry, ...g }) => ({ ...g, geometry: JSON.parse(geometry) as Grid['geometry'] }));
    },
    async putGrid(value: Grid) {
      await mustCommit(() =>
        db.transaction.write((e) => [e.grid.put({ ...value, geometry: JSON.stringify(value.geometry), updatedAt: now().toISOString() }).commit(), bump(e, 'grids')]).go(),
      );
    },

    async listCalendarYears(): Promise<CalendarYear[]> {
      const { data } = await entities.calendarYear.query.all({}).go({ pages: 'all' });
      return data.map(({ year, holidays, workdays }) => ({ year, holidays, workdays }));
    },
    async putCalendarYear(value: CalendarYear) {
      await mustCommit(() =>
        db.transaction.write((e) => [e.calendarYear.put({ ...value, updatedAt: now().toISOString() }).commit(), bump(e, 'calendar')]).go(),
      );
    },

    /** Loads many items at once (demo city, imports): batched puts, then one version bump per kind written. */
    async importAll(items: { departments?: Department[]; categories?: Category[]; grids?: Grid[]; calendar?: CalendarYear[] }) {
      const at = now().toISOString();
      if (items.departments?.length) await entities.department.put(items.departments.map((d) => ({ ...d, updatedAt: at }))).go();
      if (items.categories?.length) {
        await entities.category.put(items.categories.map(({ timeLimit, ...c }) => ({ ...c, workingHours: timeLimit.workingHours, urgentHours: timeLimit.urgentHours, updatedAt: at }))).go();
      }
      if (items.grids?.length) await entities.grid.put(items.grids.map((g) => ({ ...g, geometry: JSON.stringify(g.geometry), updatedAt: at }))).go();
      if (items.calendar?.length) await entities.calendarYear.put(items.calendar.map(({ year, holidays, workdays }) => ({ year, holidays, workdays, updatedAt: at }))).go();
      for (const kind of ['departments', 'categories', 'grids', 'calendar'] as const) {
        if (items[kind]?.length) await entities.referenceVersion.update({ kind }).add({ version: 1 }).go();
      }
    },
  };
}

export type ReferenceStore = ReturnType<typeof createReferenceStore>;
