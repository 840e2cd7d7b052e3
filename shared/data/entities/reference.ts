import type { CalendarYear } from '#shared/domain/calendar';
import type { Grid } from '#shared/domain/geo/grid-index';
import type { Camera } from '#shared/domain/reference/camera';
import type { Category } from '#shared/domain/reference/category';
import type { Department } from '#shared/domain/reference/departments';
import { defineModel } from '../model.ts';

// Reference data: each kind in one partition (`$citygrid`), sorted by its id; read whole and cached.

/**
 * The item's own version (If-Match / ETag): 1 on its first versioned write, +1 on each; absent on items
 * stored before versions (read as 0). Who wrote it last (`updatedById`/`updatedByName`) for the 412.
 */
export interface ItemVersion {
  version?: number | undefined;
  updatedById?: string | undefined;
  updatedByName?: string | undefined;
}

export const departmentModel = defineModel<Department & ItemVersion & { updatedAt: string }>()({
  entity: 'department',
  indexes: { all: { pk: [], sk: ['id'] } },
});

/** A category with its time limits flattened (`timeLimit` in the domain). */
export type CategoryItem = Omit<Category, 'timeLimit'> & ItemVersion & { workingHours: number; urgentHours?: number | undefined; updatedAt: string };
export const categoryModel = defineModel<CategoryItem>()({
  entity: 'category',
  indexes: { all: { pk: [], sk: ['code'] } },
});

/** A grid with its GeoJSON geometry as text. */
export type GridItem = Omit<Grid, 'geometry'> & ItemVersion & { geometry: string; updatedAt: string };
export const gridModel = defineModel<GridItem>()({
  entity: 'grid',
  indexes: { all: { pk: [], sk: ['id'] } },
});

export const calendarYearModel = defineModel<CalendarYear & ItemVersion & { updatedAt: string }>()({
  entity: 'calendarYear',
  indexes: { all: { pk: [], sk: ['year'] } },
});

/** A camera of the video network (视频巡查), its place flattened. */
export type CameraItem = Omit<Camera, 'location'> & { lat: number; lng: number; updatedAt: string };
export const cameraModel = defineModel<CameraItem>()({
  entity: 'camera',
  indexes: { all: { pk: [], sk: ['id'] } },
});

/** Raised with every change of a kind, in the same transaction: the reference caches compare it. */
export const referenceVersionModel = defineModel<{ kind: 'departments' | 'categories' | 'grids' | 'calendar' | 'cameras'; version?: number }>()({
  entity: 'referenceVersion',
  indexes: { byKind: { pk: ['kind'], sk: [] } },
});
