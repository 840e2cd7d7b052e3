import turfDistance from '@turf/distance';
import ngeohash from 'ngeohash';

/**
 * Nearness without scans (附近案件, 疑似重复): open cases carry a geohash; the index is partitioned by
 * its first {@link AREA_PRECISION} characters (an area about 4.9 km × 4.9 km) and sorted by the full
 * hash, so the cases in any finer cell are one Query (`begins_with`). A radius is covered by the cells
 * of the finest precision that needs at most {@link MAX_CELLS} of them; their Queries run in parallel
 * and exact distances sort out the corners. The cost follows the open cases near the point, not the
 * size of the city.
 */
export const AREA_PRECISION = 5;
/** Precision stored on the case: 9 characters ≈ 4.8 m × 4.8 m. */
export const CASE_PRECISION = 9;
/** Query budget per search (parallel Queries). */
export const MAX_CELLS = 12;
/** The largest radius a search accepts, in metres (a 500 m radius needs ≤ 12 cells of precision 6). */
export const MAX_RADIUS_METRES = 500;

export interface Point {
  lat: number;
  lng: number;
}

/** The geohash stored on a case and the index partition it falls in. */
export function geoKeys(point: Point): { geohash: string; geoArea: string } {
  const geohash = ngeohash.encode(point.lat, point.lng, CASE_PRECISION);
  return { geohash, geoArea: geohash.slice(0, AREA_PRECISION) };
}

const METRES_PER_DEGREE_LAT = 111_320;

/** The bounding box of a circle (degrees), widened a little so rounding never drops an edge case. */
function boundingBox(center: Point, radiusMetres: number) {
  const dLat = (radiusMetres * 1.01) / METRES_PER_DEGREE_LAT;
  const dLng = (radiusMetres * 1.01) / (METRES_PER_DEGREE_LAT * Math.max(0.01, Math.cos((center.lat * Math.PI) / 180)));
  return { minLat: center.lat - dLat, minLng: center.lng - dLng, maxLat: center.lat + dLat, maxLng: center.lng + dLng };
}

/**
 * The geohash cells (precision 5–7, all the same length) whose union covers the circle: the finest
 * precision that needs no more than {@link MAX_CELLS} cells.
 */
export function coveringCells(center: Point, radiusMetres: number): string[] {
  const box = boundingBox(center, radiusMetres);
  let cells = ngeohash.bboxes(box.minLat, box.minLng, box.maxLat, box.maxLng, AREA_PRECISION);
  for (let precision = AREA_PRECISION + 1; precision <= 7; precision++) {
    const finer = ngeohash.bboxes(box.minLat, box.minLng, box.maxLat, box.maxLng, precision);
    if (finer.length > MAX_CELLS) break;
    cells = finer;
  }
  return cells;
}

/** Great-circle distance in whole metres. */
export function distanceMetres(a: Point, b: Point): number {
  return Math.round(turfDistance([a.lng, a.lat], [b.lng, b.lat], { units: 'meters' }));
}

/** A coarse location for public lists: 4 decimals (about 11 m). */
export const coarse = (p: Point): Point => ({ lat: Math.round(p.lat * 1e4) / 1e4, lng: Math.round(p.lng * 1e4) / 1e4 });
