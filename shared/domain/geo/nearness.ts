import turfDistance from '@turf/distance';
import ngeohash from 'ngeohash';

/**
 * Nearness without scans (附近案件, 疑似重复): open cases carry a geohash; the index is partitioned by
 * its first {@link AREA_PRECISION} characters (an area about 4.9 km × 4.9 km) and sorted by the full
 * hash. Geohashes sort along a Z-order curve, so any run of consecutive cells is one Query (`between`
 * on the sort key). A search covers its circle with the cells that touch it — whole cells where they
 * lie inside, cells of {@link COVER_PRECISION} along the edge — joins consecutive cells into ranges
 * and, while there are more than {@link MAX_QUERIES}, closes the smallest gaps between ranges of the
 * same area (reading the few cells in the gap). The Queries run in parallel and exact distances sort
 * out the rest: a search reads 1.2–1.8 times the circle's area (median ~1.5), so its cost
 * follows the open cases near the point, not the size of the city. Not for circles across the
 * antimeridian (geohash boxes do not wrap).
 */
export const AREA_PRECISION = 5;
/** Precision stored on the case: 9 characters ≈ 4.8 m × 4.8 m. */
export const CASE_PRECISION = 9;
/** The finest cells of a cover (along the circle's edge): 8 characters ≈ 38 m × 19 m at the equator, 34 m × 19 m at 27° N. */
export const COVER_PRECISION = 8;
/** Query budget per search (parallel Queries, one per range). */
export const MAX_QUERIES = 8;
/** The largest radius a search accepts, in metres. */
export const MAX_RADIUS_METRES = 500;

export interface Point {
  lat: number;
  lng: number;
}

/**
 * Consecutive geohash cells of one index partition: the cases whose geohash, cut to
 * {@link COVER_PRECISION} characters, lies between `from` and `to` (both included, same length).
 */
export interface GeoRange {
  area: string;
  from: string;
  to: string;
}

/** The geohash stored on a case and the index partition it falls in. */
export function geoKeys(point: Point): { geohash: string; geoArea: string } {
  const geohash = ngeohash.encode(point.lat, point.lng, CASE_PRECISION);
  return { geohash, geoArea: geohash.slice(0, AREA_PRECISION) };
}

/** Whether a stored geohash falls in a range (what the range's Query returns). */
export const inRange = (geohash: string, range: GeoRange): boolean =>
  geohash.startsWith(range.area) && geohash.slice(0, range.from.length) >= range.from && geohash.slice(0, range.to.length) <= range.to;

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz'; // in ASCII order: the index sorts hashes as their values
/** Metres per degree of latitude on turf's sphere (the one {@link distanceMetres} measures on). */
const METRES_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;

const valueOf = (hash: string) => [...hash].reduce((v, ch) => v * 32 + BASE32.indexOf(ch), 0);
const hashOf = (value: number) => Array.from({ length: COVER_PRECISION }, (_, i) => BASE32[Math.floor(value / 32 ** (COVER_PRECISION - 1 - i)) % 32]).join('');

/**
 * The ranges whose union holds every stored geohash within `radiusMetres` of `center` (as
 * {@link distanceMetres} rounds it), sorted and disjoint: at most {@link MAX_QUERIES}, unless the circle
 * touches more index partitions than that (a range never spans two; a 500 m circle touches at most 4
 * below 70° latitude).
 */
export function coveringRanges(center: Point, radiusMetres: number): GeoRange[] {
  // Distances on the local plane (x scaled by the centre's cos(lat)); within 600 m it is off by less
  // than 0.1 % (the scale changes with latitude), so a cell counts as touching up to `reach`, which also
  // takes in the half metre that rounding to whole metres adds.
  const kx = METRES_PER_DEGREE * Math.max(0.01, Math.cos((center.lat * Math.PI) / 180));
  const reach = radiusMetres * 1.002 + 1;
  const spans: Array<{ area: string; lo: number; hi: number }> = [];
  const visit = (hash: string) => {
    const [south, west, north, east] = ngeohash.decode_bbox(hash);
    const dy = Math.max(south - center.lat, 0, center.lat - north) * METRES_PER_DEGREE;
    const dx = Math.max(west - center.lng, 0, center.lng - east) * kx;
    if (dx * dx + dy * dy > reach * reach) return; // the cell does not touch the circle
    const fy = Math.max(Math.abs(center.lat - south), Math.abs(center.lat - north)) * METRES_PER_DEGREE;
    const fx = Math.max(Math.abs(center.lng - west), Math.abs(center.lng - east)) * kx;
    if (fx * fx + fy * fy <= radiusMetres * radiusMetres || hash.length >= COVER_PRECISION) {
      // Inside the circle, or an edge cell at the finest precision: all of it.
      const size = 32 ** (COVER_PRECISION - hash.length);
      spans.push({ area: hash.slice(0, AREA_PRECISION), lo: valueOf(hash) * size, hi: valueOf(hash) * size + size - 1 });
      return;
    }
    for (const ch of BASE32) visit(hash + ch);
  };
  const dLat = reach / METRES_PER_DEGREE;
  const dLng = reach / kx;
  for (const hash of ngeohash.bboxes(center.lat - dLat, center.lng - dLng, center.lat + dLat, center.lng + dLng, AREA_PRECISION)) visit(hash);

  // Consecutive cells are one range (cells of different partitions never are).
  spans.sort((a, b) => a.lo - b.lo);
  const runs: typeof spans = [];
  for (const span of spans) {
    const last = runs.at(-1);
    if (last && last.area === span.area && last.hi + 1 === span.lo) last.hi = span.hi;
    else runs.push({ ...span });
  }
  // Over budget: close the smallest gaps (fewest cells read in vain) between ranges of one partition.
  const gaps = runs
    .map((run, i) => ({ i, cells: i + 1 < runs.length && runs[i + 1]!.area === run.area ? runs[i + 1]!.lo - run.hi - 1 : Infinity }))
    .filter((gap) => gap.cells !== Infinity)
    .sort((a, b) => a.cells - b.cells || a.i - b.i);
  const closed = new Set(gaps.slice(0, Math.max(0, runs.length - MAX_QUERIES)).map((gap) => gap.i));
  const ranges: GeoRange[] = [];
  for (let i = 0; i < runs.length; i++) {
    const from = runs[i]!;
    while (closed.has(i)) i++;
    ranges.push({ area: from.area, from: hashOf(from.lo), to: hashOf(runs[i]!.hi) });
  }
  return ranges;
}

/** Great-circle distance in whole metres. */
export function distanceMetres(a: Point, b: Point): number {
  return Math.round(turfDistance([a.lng, a.lat], [b.lng, b.lat], { units: 'meters' }));
}

/** A coarse location for public lists: 4 decimals (about 11 m). */
export const coarse = (p: Point): Point => ({ lat: Math.round(p.lat * 1e4) / 1e4, lng: Math.round(p.lng * 1e4) / 1e4 });
