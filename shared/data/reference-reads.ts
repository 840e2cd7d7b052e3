import type { CalendarYear } from '#shared/domain/calendar';
import type { Grid } from '#shared/domain/geo/grid-index';
import type { Camera } from '#shared/domain/reference/camera';
import type { Category } from '#shared/domain/reference/category';
import type { Department } from '#shared/domain/reference/departments';
import type { Versioned, VersionInfo } from '#shared/domain/reference/versions';
import { calendarYearModel, cameraModel, categoryModel, departmentModel, gridModel, referenceVersionModel, type ItemVersion } from './entities/reference.ts';
import { get, query, type Table } from './operations.ts';

export type ReferenceKind = 'departments' | 'categories' | 'grids' | 'calendar' | 'cameras';


/** The version fields of a stored item, as the domain reads them (0 for an item stored before versions). */
export const versionInfo = (item: ItemVersion & { updatedAt?: string | undefined }): VersionInfo => ({
  version: item.version ?? 0,
  ...(item.updatedAt ? { updatedAt: item.updatedAt } : {}),
  ...(item.updatedById ? { updatedBy: { id: item.updatedById, displayName: item.updatedByName ?? '' } } : {}),
});

/** A department as the domain reads it, with its version fields. */
const departmentOf = ({ updatedAt, version, updatedById, updatedByName, ...d }: Department & ItemVersion & { updatedAt: string }): Versioned<Department> => ({ ...d, ...versionInfo({ updatedAt, version, updatedById, updatedByName }) });


/**
 * The reads of the reference data — what the per-container cache loads — apart from the writes
 * (`reference-store.ts`), so that the functions that only read it (every case step) do not bundle them.
 */
export function createReferenceReads(table: Table) {

  const readDepartments = async (options: { consistent?: boolean } = {}): Promise<Array<Versioned<Department>>> => {
    const { items } = await query(table, departmentModel, 'all', {}, { all: true, ...options });
    return items.map(departmentOf);
  };

  return {
    async version(kind: ReferenceKind): Promise<number> {
      const item = await get(table, referenceVersionModel, { kind }, { consistent: true });
      return item?.version ?? 0;
    },

    /**
     * Consistent: a cache reloads after seeing a new version, and the tree it keeps for that version must
     * be the stored one (case writes key the subtree queues from it).
     */
    listDepartments: () => readDepartments({ consistent: true }),
    /** The departments as stored now (consistent reads) and the departments version they were read at. */
    async currentDepartments(): Promise<{ departments: Array<Versioned<Department>>; version: number }> {
      const item = await get(table, referenceVersionModel, { kind: 'departments' }, { consistent: true });
      return { departments: await readDepartments({ consistent: true }), version: item?.version ?? 0 };
    },
    async listCategories(): Promise<Array<Versioned<Category>>> {
      const { items } = await query(table, categoryModel, 'all', {}, { all: true });
      return items.map(({ updatedAt, version, updatedById, updatedByName, workingHours, urgentHours, ...c }) => ({ ...c, timeLimit: { workingHours, ...(urgentHours !== undefined ? { urgentHours } : {}) }, ...versionInfo({ updatedAt, version, updatedById, updatedByName }) }));
    },
    async listGrids(): Promise<Array<Versioned<Grid>>> {
      const { items } = await query(table, gridModel, 'all', {}, { all: true });
      return items.map(({ updatedAt, version, updatedById, updatedByName, geometry, ...g }) => ({ ...g, geometry: JSON.parse(geometry) as Grid['geometry'], ...versionInfo({ updatedAt, version, updatedById, updatedByName }) }));
    },
    async listCalendarYears(): Promise<Array<Versioned<CalendarYear>>> {
      const { items } = await query(table, calendarYearModel, 'all', {}, { all: true });
      return items.map(({ year, holidays, workdays, updatedAt, version, updatedById, updatedByName }) => ({ year, holidays, workdays, ...versionInfo({ updatedAt, version, updatedById, updatedByName }) }));
    },
    /** The cameras of the video network (视频巡查); written by `npm run city -- import` only. */
    async listCameras(): Promise<Camera[]> {
      const { items } = await query(table, cameraModel, 'all', {}, { all: true });
      return items.map(({ id, name, lat, lng }) => ({ id, name, location: { lat, lng } }));
    },

  };
}

export type ReferenceReads = ReturnType<typeof createReferenceReads>;
