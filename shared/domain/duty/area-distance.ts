import type { MultiPolygon, Polygon } from 'geojson';

const EARTH_RADIUS_METRES = 6_371_008.8;
const RADIANS = Math.PI / 180;

/**
 * The distance in metres from a point to the edge of a polygon (0 inside is the caller's business: this
 * measures to the nearest edge). Each edge is measured in a plane tangent at the point (equirectangular):
 * within a city (tens of kilometres) the error is well under a metre per kilometre.
 */
export function distanceToEdgeMetres(point: { lat: number; lng: number }, geometry: Polygon | MultiPolygon): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const cos = Math.cos(point.lat * RADIANS);
  const project = ([lng, lat]: number[]) => [(lng! - point.lng) * RADIANS * cos * EARTH_RADIUS_METRES, (lat! - point.lat) * RADIANS * EARTH_RADIUS_METRES] as const;
  let best = Infinity;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [ax, ay] = project(ring[i]!);
        const [bx, by] = project(ring[i + 1]!);
        const [dx, dy] = [bx - ax, by - ay];
        const length = dx * dx + dy * dy;
        // The foot of the perpendicular from the origin (the point), clamped to the segment.
        const t = length === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length));
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
      }
    }
  }
  return best;
}

/**
 * Where a point lies against a person's area (a set of grids): inside (distance 0), or outside and how
 * far from the nearest grid's edge, rounded to the metre. A person with no area is never inside, and
 * has no distance (null).
 */
export function placeAgainstArea(point: { lat: number; lng: number }, area: ReadonlyArray<{ id: string; geometry: Polygon | MultiPolygon }>, containing: string | undefined): { insideArea: boolean; distanceToAreaMetres: number | null } {
  if (area.length === 0) return { insideArea: false, distanceToAreaMetres: null };
  if (containing !== undefined && area.some((g) => g.id === containing)) return { insideArea: true, distanceToAreaMetres: 0 };
  return { insideArea: false, distanceToAreaMetres: Math.round(Math.min(...area.map((g) => distanceToEdgeMetres(point, g.geometry)))) };
}
