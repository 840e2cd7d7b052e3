import simplify from '@turf/simplify';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Grid } from './grid-index.ts';

/**
 * About 5 m at Chinese latitudes (degrees): invisible on a city map at street zoom, and it drops most
 * vertices of surveyed boundaries. Display only — locating a point always uses the stored polygons.
 */
export const DISPLAY_TOLERANCE_DEGREES = 0.00005;

export type GridProperties = { id: string; name: string; community: string; street: string; district: string };

/**
 * Every grid as one GeoJSON FeatureCollection for maps, geometry simplified (Douglas–Peucker via
 * @turf/simplify, which keeps every ring closed with at least four positions), `properties` = the
 * contract's `Grid`.
 */
export function gridsFeatureCollection(grids: readonly Grid[], tolerance = DISPLAY_TOLERANCE_DEGREES): FeatureCollection<Polygon | MultiPolygon, GridProperties> {
  return {
    type: 'FeatureCollection',
    features: grids.map(
      (g): Feature<Polygon | MultiPolygon, GridProperties> => ({
        type: 'Feature',
        id: g.id,
        properties: { id: g.id, name: g.name, community: g.community, street: g.street, district: g.district },
        geometry: simplify(g.geometry, { tolerance, highQuality: false, mutate: false }),
      }),
    ),
  };
}
