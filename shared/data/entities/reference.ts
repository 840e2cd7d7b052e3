import type { CalendarYear } from '#shared/domain/calendar';
import type { Grid } from '#shared/domain/geo/grid-index';
import type { Category } from '#shared/domain/reference/category';
import type { Department } from '#shared/domain/reference/departments';
import { defineModel } from '../model.ts';

// Reference data: each kind in one partition (`$citygrid`), sorted by its id; read whole and cached.

export const departmentModel = defineModel<Department & { updatedAt: string }>()({
  entity: 'department',
  indexes: { all: { pk: [], sk: ['id'] } },
});

/** A category with its time limits flattened (`timeLimit` in the domain). */
export type CategoryItem = Omit<Category, 'timeLimit'> & { workingHours: number; urgentHours?: number | undefined; updatedAt: string };
export const categoryModel = defineModel<CategoryItem>()({
  entity: 'category',
  indexes: { all: { pk: [], sk: ['code'] } },
});

/** A grid with its GeoJSON geometry as text. */
export type GridItem = Omit<Grid, 'geometry'> & { geometry: string; updatedAt: string };
export const gridModel = defineModel<GridItem>()({
  entity: 'grid',
  indexes: { all: { pk: [], sk: ['id'] } },
});

export const calendarYearModel = defineModel<CalendarYear & { updatedAt: string }>()({
  entity: 'calendarYear',
  indexes: { all: { pk: [], sk: ['year'] } },
});

/** Raised with every change of a kind, in the same transaction: the reference caches compare it. */
export const referenceVersionModel = defineModel<{ kind: 'departments' | 'categories' | 'grids' | 'calendar'; version?: number }>()({
  entity: 'referenceVersion',
  indexes: { byKind: { pk: ['kind'], sk: [] } },
});
