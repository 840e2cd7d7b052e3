import kinks from '@turf/kinks';
import * as z from 'zod';
import { DEPARTMENT_TYPES } from '#shared/domain/reference/departments';
import { QueryNumber } from './common.ts';

export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Lower-case letters, digits and dashes (2–63)');

// ---- Departments ---------------------------------------------------------------------------------

export const DepartmentParams = z.object({ id: Slug });
export const DepartmentBody = z
  .object({
    name: z.string().trim().min(1).max(60),
    parentId: Slug.optional(),
    type: z.enum(DEPARTMENT_TYPES),
    gridIds: z.array(Slug).max(500).default([]),
  })
  .strict()
  .meta({ id: 'DepartmentInput' });
export const DepartmentView = z
  .object({ id: z.string(), name: z.string(), parentId: z.string().optional(), level: z.number().int(), type: z.enum(DEPARTMENT_TYPES), gridIds: z.array(z.string()) })
  .meta({ id: 'Department' });
export const DepartmentList = z.array(DepartmentView);

// ---- Categories ----------------------------------------------------------------------------------

export const CategoryParams = z.object({ code: z.string().regex(/^[A-Z0-9]{2,12}$/, 'Upper-case letters and digits (2–12)') });
export const CategoryBody = z
  .object({
    name: z.string().trim().min(1).max(40),
    group: z.enum(['component', 'event']),
    majorClass: z.string().trim().min(1).max(40),
    timeLimit: z
      .object({
        workingHours: z.number().positive().max(2000).multipleOf(0.5),
        urgentHours: z.number().positive().max(720).multipleOf(0.5).optional().meta({ description: 'Limit of an urgent case (紧急), clock hours day and night' }),
      })
      .strict(),
    defaultDepartmentId: Slug.optional(),
    filingCriteria: z.string().max(500).optional(),
    closingCriteria: z.string().max(500).optional(),
  })
  .strict()
  .meta({ id: 'CategoryInput' });
export const CategoryView = z
  .object({
    code: z.string(),
    name: z.string(),
    group: z.enum(['component', 'event']),
    majorClass: z.string(),
    timeLimit: z.object({ workingHours: z.number(), urgentHours: z.number().optional() }),
    defaultDepartmentId: z.string().optional(),
    filingCriteria: z.string().optional(),
    closingCriteria: z.string().optional(),
  })
  .meta({ id: 'Category' });
export const CategoryList = z.array(CategoryView);

// ---- Grids ---------------------------------------------------------------------------------------

/** The largest grid geometry (compact GeoJSON text) stored: one item, under DynamoDB's 400 KB with room for the rest. */
export const MAX_GRID_GEOMETRY_BYTES = 350_000;

const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number()).meta({ description: '[lng, lat] WGS84' });
const Ring = z
  .array(Position)
  .min(4, 'A ring needs at least 4 positions (the first repeated at the end)')
  .max(10_000)
  .refine((ring) => ring.length < 4 || (ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]), 'A ring must be closed: the last position equals the first');
const PolygonCoordinates = z.array(Ring).min(1).max(100);
const Geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: PolygonCoordinates }).strict(),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(PolygonCoordinates).min(1).max(100) }).strict(),
]);

export const GridParams = z.object({ id: Slug });
export const GridFeature = z
  .object({
    type: z.literal('Feature'),
    properties: z
      .object({
        name: z.string().trim().min(1).max(60),
        community: z.string().trim().min(1).max(60),
        communityCode: z.string().max(20).optional(),
        street: z.string().trim().min(1).max(60),
        streetCode: z.string().max(20).optional(),
        district: z.string().trim().min(1).max(60),
        districtCode: z.string().max(20).optional(),
      })
      .strict(),
    geometry: Geometry,
  })
  .superRefine((feature, ctx) => {
    // The grid is one item (the geometry as JSON text); DynamoDB items hold at most 400 KB. Checked
    // first: a geometry that large would also take seconds of self-intersection checks.
    const stored = Buffer.byteLength(JSON.stringify(feature.geometry));
    if (stored > MAX_GRID_GEOMETRY_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['geometry'],
        message: `The geometry takes ${stored} bytes as stored; a grid holds at most ${MAX_GRID_GEOMETRY_BYTES}. Simplify the outline (fewer positions, 6–7 decimals)`,
      });
      return;
    }
    // Self-intersections (turf kinks) make point-in-polygon answers meaningless: refuse them.
    const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    polygons.forEach((coordinates, p) => {
      const found = kinks({ type: 'Polygon', coordinates }).features.length;
      if (found > 0) {
        const path = feature.geometry.type === 'Polygon' ? ['geometry', 'coordinates'] : ['geometry', 'coordinates', p];
        ctx.addIssue({ code: 'custom', path, message: `The polygon intersects itself (${found} crossing point${found > 1 ? 's' : ''})` });
      }
    });
  })
  .meta({ id: 'GridFeature', description: 'GeoJSON Feature, Polygon or MultiPolygon, WGS84' });

export const GridView = z
  .object({ id: z.string(), name: z.string(), community: z.string(), street: z.string(), district: z.string() })
  .meta({ id: 'Grid' });

export const LocateQuery = z
  .object({
    lat: QueryNumber.pipe(z.number().min(-90).max(90)),
    lng: QueryNumber.pipe(z.number().min(-180).max(180)),
    coordSystem: z.enum(['WGS84', 'GCJ02']).default('WGS84'),
  })
  .strict();
export const LocateResult = z
  .object({ gridId: z.string(), name: z.string(), community: z.string(), street: z.string(), district: z.string() })
  .meta({ id: 'GridLocation' });

export const GridList = z.object({ items: z.array(GridView), nextCursor: z.string().optional() }).meta({ id: 'GridList' });

const DisplayPosition = z.array(z.number()).min(2).max(3);
export const GridsGeoJson = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        properties: GridView,
        geometry: z.union([
          z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(DisplayPosition)) }),
          z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(DisplayPosition))) }),
        ]),
      }),
    ),
  })
  .meta({ id: 'GridsGeoJson', description: 'Every grid; geometry simplified for display (about 5 m), WGS84' });

const LocalDate = z.iso.date().meta({ description: 'YYYY-MM-DD, local (Asia/Shanghai) date' });
export const CalendarParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
export const CalendarYearBody = z
  .object({
    holidays: z.array(LocalDate).max(366).meta({ description: 'Dates off work (放假), whatever the weekday' }),
    workdays: z.array(LocalDate).max(366).meta({ description: 'Weekend dates worked to make up for a holiday (调休上班)' }),
  })
  .strict()
  .meta({ id: 'CalendarYearRequest' });
export const CalendarYearView = z
  .object({ year: z.number().int(), holidays: z.array(z.string()), workdays: z.array(z.string()) })
  .meta({ id: 'CalendarYear' });
