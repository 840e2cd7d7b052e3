import kinks from '@turf/kinks';
import * as z from '#shared/validation/zod';
import { DEPARTMENT_TYPES } from '#shared/domain/reference/departments';
import { QueryNumber } from './common.ts';

export const Slug = z.lazy(() => z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Lower-case letters, digits and dashes (2–63)')));

// ---- Versions (If-Match / ETag) ------------------------------------------------------------------

/** What every versioned reference item carries on reads: its version (the ETag) and who wrote it last. */
const VersionFields = {
  version: z.withMeta(z.number().check(z.int(), z.gte(0)), { description: 'The item\'s version: send it back as If-Match: "<version>" to write only if nobody changed it since (412 otherwise). 1 after the first write, +1 with each; 0 for an item stored before versions (or a built-in calendar year)' }),
  updatedAt: z.optional(z.string()),
  updatedBy: z.withMeta(z.optional(z.object({ id: z.string(), displayName: z.string() })), { description: 'Who wrote this version (absent before versions)' }),
};

// ---- Departments ---------------------------------------------------------------------------------

export const DepartmentParams = z.lazy(() => z.object({ id: Slug }));
export const DepartmentBody = z.withMeta(z.strict(z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
  parentId: z.optional(Slug),
  type: z.enum(DEPARTMENT_TYPES),
  gridIds: z._default(z.array(Slug).check(z.maxLength(500)), []),
})), { id: 'DepartmentInput' });
export const DepartmentView = z.lazy(() => z.withMeta(z.object({ id: z.string(), name: z.string(), parentId: z.optional(z.string()), level: z.number().check(z.int()), type: z.enum(DEPARTMENT_TYPES), gridIds: z.array(z.string()), ...VersionFields }), { id: 'Department' }));
export const DepartmentList = z.lazy(() => z.array(DepartmentView));

// ---- Categories ----------------------------------------------------------------------------------

export const CategoryParams = z.object({ code: z.string().check(z.regex(/^[A-Z0-9]{2,12}$/, 'Upper-case letters and digits (2–12)')) });
export const CategoryBody = z.withMeta(z.strict(z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  group: z.enum(['component', 'event']),
  majorClass: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  timeLimit: z.strict(z.object({
      workingHours: z.number().check(z.gt(0), z.lte(2000), z.multipleOf(0.5)),
      urgentHours: z.withMeta(z.optional(z.number().check(z.gt(0), z.lte(720), z.multipleOf(0.5))), { description: 'Limit of an urgent case (紧急), clock hours day and night' }),
    })),
  defaultDepartmentId: z.optional(Slug),
  filingCriteria: z.optional(z.string().check(z.maxLength(500))),
  closingCriteria: z.optional(z.string().check(z.maxLength(500))),
})), { id: 'CategoryInput' });
export const CategoryView = z.lazy(() => z.withMeta(z.object({
  code: z.string(),
  name: z.string(),
  group: z.enum(['component', 'event']),
  majorClass: z.string(),
  timeLimit: z.object({ workingHours: z.number(), urgentHours: z.optional(z.number()) }),
  defaultDepartmentId: z.optional(z.string()),
  filingCriteria: z.optional(z.string()),
  closingCriteria: z.optional(z.string()),
  ...VersionFields,
}), { id: 'Category' }));
export const CategoryList = z.lazy(() => z.array(CategoryView));

// ---- Grids ---------------------------------------------------------------------------------------

/** The largest grid geometry (compact GeoJSON text) stored: one item, under DynamoDB's 400 KB with room for the rest. */
export const MAX_GRID_GEOMETRY_BYTES = 350_000;

const Position = z.lazy(() => z.withMeta(z.tuple([z.number().check(z.gte(-180), z.lte(180)), z.number().check(z.gte(-90), z.lte(90))], z.number()), { description: '[lng, lat] WGS84' }));
const Ring = z.lazy(() => z.array(Position).check(z.minLength(4, 'A ring needs at least 4 positions (the first repeated at the end)'), z.maxLength(10_000), z.refine((ring) => ring.length < 4 || (ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]), 'A ring must be closed: the last position equals the first')));
const PolygonCoordinates = z.lazy(() => z.array(Ring).check(z.minLength(1), z.maxLength(100)));
const Geometry = z.lazy(() => z.discriminatedUnion('type', [
  z.strict(z.object({ type: z.literal('Polygon'), coordinates: PolygonCoordinates })),
  z.strict(z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(PolygonCoordinates).check(z.minLength(1), z.maxLength(100)) })),
]));

export const GridParams = z.lazy(() => z.object({ id: Slug }));
export const GridFeature = z.lazy(() => z.withMeta(z.object({
    type: z.literal('Feature'),
    properties: z.strict(z.object({
        name: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
        community: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
        communityCode: z.optional(z.string().check(z.maxLength(20))),
        street: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
        streetCode: z.optional(z.string().check(z.maxLength(20))),
        district: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
        districtCode: z.optional(z.string().check(z.maxLength(20))),
      })),
    geometry: Geometry,
  }).check(z.superRefine((feature, ctx) => {
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
  })), { id: 'GridFeature', description: 'GeoJSON Feature, Polygon or MultiPolygon, WGS84' }));

export const GridView = z.lazy(() => z.withMeta(z.object({ id: z.string(), name: z.string(), community: z.string(), street: z.string(), district: z.string() }), { id: 'Grid' }));
/** A grid as its PUT answers and `GET /v1/grids` lists it: with its version. */
export const VersionedGridView = z.lazy(() => z.withMeta(z.object({ id: z.string(), name: z.string(), community: z.string(), street: z.string(), district: z.string(), ...VersionFields }), { id: 'VersionedGrid' }));

export const LocateQuery = z.lazy(() => z.strict(z.object({
  lat: z.pipe(QueryNumber, z.number().check(z.gte(-90), z.lte(90))),
  lng: z.pipe(QueryNumber, z.number().check(z.gte(-180), z.lte(180))),
  coordSystem: z._default(z.enum(['WGS84', 'GCJ02']), 'WGS84'),
})));
export const LocateResult = z.lazy(() => z.withMeta(z.object({ gridId: z.string(), name: z.string(), community: z.string(), street: z.string(), district: z.string() }), { id: 'GridLocation' }));

export const GridList = z.lazy(() => z.withMeta(z.object({ items: z.array(VersionedGridView), nextCursor: z.optional(z.string()) }), { id: 'GridList' }));

export const CameraList = z.lazy(() => z.withMeta(z.object({
  items: z.array(z.withMeta(z.object({
    id: z.string(),
    name: z.string(),
    location: z.object({ lat: z.number(), lng: z.number() }),
    gridId: z.withMeta(z.optional(z.string()), { description: 'The grid the camera\'s place lies in (absent outside every grid)' }),
  }), { id: 'Camera', description: 'A camera of the video network (视频巡查), WGS84' })),
}), { id: 'CameraList' }));

const DisplayPosition = z.lazy(() => z.array(z.number()).check(z.minLength(2), z.maxLength(3)));
export const GridsGeoJson = z.lazy(() => z.withMeta(z.object({
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
}), { id: 'GridsGeoJson', description: 'Every grid; geometry simplified for display (about 5 m), WGS84' }));

const LocalDate = z.lazy(() => z.withMeta(z.iso.date(), { description: 'YYYY-MM-DD, local (Asia/Shanghai) date' }));
export const CalendarParams = z.object({ year: z.coerce.number().check(z.int(), z.gte(2000), z.lte(2100)) });
export const CalendarYearBody = z.withMeta(z.strict(z.object({
  holidays: z.withMeta(z.array(LocalDate).check(z.maxLength(366)), { description: 'Dates off work (放假), whatever the weekday' }),
  workdays: z.withMeta(z.array(LocalDate).check(z.maxLength(366)), { description: 'Weekend dates worked to make up for a holiday (调休上班)' }),
})), { id: 'CalendarYearRequest' });
export const CalendarYearView = z.lazy(() => z.withMeta(z.object({ year: z.number().check(z.int()), holidays: z.array(z.string()), workdays: z.array(z.string()), ...VersionFields }), { id: 'CalendarYear' }));
export const CalendarYearEntry = z.lazy(() => z.withMeta(z.object({
  year: z.number().check(z.int()),
  holidays: z.array(z.string()),
  workdays: z.array(z.string()),
  source: z.withMeta(z.enum(['stored', 'built-in']), { description: 'stored: set by the city (PUT or calendar.json); built-in: the dates CityGrid ships (2026)' }),
  ...VersionFields,
}), { id: 'CalendarYearEntry' }));
export const CalendarYearList = z.lazy(() => z.withMeta(z.object({
  items: z.array(CalendarYearEntry),
  missingYear: z.withMeta(z.nullable(z.number().check(z.int())), {
    description: 'The year the city must set now, else null: from December 1 (Asia/Shanghai) the next year, and a year that has begun without its calendar. Until it is set, that year\'s holidays count as working days.',
  }),
}), { id: 'CalendarYearList' }));

/** `POST /v1/admin/grids/batch`: a FeatureCollection of grids, each Feature with its id (all checked, all or nothing). */
export const GridBatchBody = z.lazy(() => z.withMeta(z.strict(z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.intersection(GridFeature, z.object({ id: Slug }))).check(z.minLength(1), z.maxLength(500)),
})), { id: 'GridBatchRequest', description: 'GeoJSON FeatureCollection; each Feature has an id and the body of PUT /v1/admin/grids/{id}' }));
export const GridBatchQuery = z.lazy(() => z.strict(z.object({
  dryRun: z.withMeta(z.optional(z.pipe(z.enum(['true', 'false']), z.transform((v) => v === 'true'))), { description: 'true: answer the outcomes, write nothing' }),
})));
export const GridBatchResult = z.lazy(() => z.withMeta(z.object({
  items: z.array(z.object({ id: z.string(), outcome: z.enum(['created', 'updated', 'unchanged']) })),
  dryRun: z.boolean(),
  written: z.number().check(z.int()),
}), { id: 'GridBatchResult' }));
