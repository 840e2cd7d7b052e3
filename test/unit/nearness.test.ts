import fc from 'fast-check';
import ngeohash from 'ngeohash';
import { describe, expect, it } from 'vitest';
import { AREA_PRECISION, coarse, COVER_PRECISION, coveringRanges, distanceMetres, geoKeys, inRange, MAX_QUERIES, type GeoRange, type Point } from '#shared/domain/geo/nearness';

const METRES_PER_DEGREE = 111_320;
/** A point `metres` away from `center` in direction `bearing` (radians), on the local flat approximation. */
const offset = (center: Point, metres: number, bearing: number) => ({
  lat: center.lat + (metres * Math.cos(bearing)) / METRES_PER_DEGREE,
  lng: center.lng + (metres * Math.sin(bearing)) / (METRES_PER_DEGREE * Math.cos((center.lat * Math.PI) / 180)),
});

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';
const valueOf = (hash: string) => [...hash].reduce((v, ch) => v * 32 + BASE32.indexOf(ch), 0);
/** The area the ranges' Queries read, in m² (cells of COVER_PRECISION, measured at the centre's latitude). */
function areaRead(center: Point, ranges: GeoRange[]): number {
  const [south, west, north, east] = ngeohash.decode_bbox(ranges[0]!.from);
  const cell = (north - south) * 111_195 * (east - west) * 111_195 * Math.cos((center.lat * Math.PI) / 180);
  return ranges.reduce((sum, r) => sum + (valueOf(r.to) - valueOf(r.from) + 1) * cell, 0);
}
const China = { lat: fc.double({ min: 18, max: 53, noNaN: true }), lng: fc.double({ min: 73, max: 135, noNaN: true }) };

describe('nearness: covering geohash ranges', () => {
  it('covers every point that a search keeps (rounded distance ≤ radius): its stored geohash is in one of the ranges', () => {
    fc.assert(
      fc.property(
        China.lat,
        China.lng,
        fc.integer({ min: 1, max: 500 }),
        // Anywhere in the circle, or on its edge (where a cover that is too tight would miss points).
        fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.995, max: 1.005, noNaN: true })),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        (lat, lng, radius, fraction, bearing) => {
          const center = { lat, lng };
          const point = offset(center, radius * fraction + (fraction > 0.99 ? 0.5 : 0), bearing);
          const ranges = coveringRanges(center, radius);
          expect(ranges.length).toBeLessThanOrEqual(MAX_QUERIES);
          if (distanceMetres(center, point) <= radius) expect(ranges.some((r) => inRange(geoKeys(point).geohash, r))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives sorted, disjoint ranges, each inside one index partition', () => {
    fc.assert(
      fc.property(China.lat, China.lng, fc.integer({ min: 1, max: 500 }), (lat, lng, radius) => {
        const ranges = coveringRanges({ lat, lng }, radius);
        for (const [i, r] of ranges.entries()) {
          expect(r.area).toHaveLength(AREA_PRECISION);
          expect(r.from).toHaveLength(COVER_PRECISION);
          expect(r.to).toHaveLength(COVER_PRECISION);
          expect(r.from.startsWith(r.area) && r.to.startsWith(r.area)).toBe(true);
          expect(r.from <= r.to).toBe(true);
          if (i > 0) expect(ranges[i - 1]!.to < r.from).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads little more than the circle: at most twice its area for 100–500 m, so the cost follows the cases near the point', () => {
    fc.assert(
      fc.property(China.lat, China.lng, fc.integer({ min: 100, max: 500 }), (lat, lng, radius) => {
        const center = { lat, lng };
        expect(areaRead(center, coveringRanges(center, radius))).toBeLessThanOrEqual(2 * Math.PI * radius * radius);
      }),
      { numRuns: 300 },
    );
  });

  it('covers the 200 m default of nearby at 当家村社区 with ≤ 8 Queries over < 1.5 times the circle (the old bounding-box cells of precision 6 read 10.6 times)', () => {
    const center = { lat: 26.879, lng: 112.613 };
    const ranges = coveringRanges(center, 200);
    expect(ranges.length).toBeLessThanOrEqual(8);
    expect(areaRead(center, ranges) / (Math.PI * 200 * 200)).toBeLessThan(1.5);
  });

  it('matches a stored geohash against a range the way the index sorts it (by prefix, both ends included)', () => {
    const range = { area: 'ws0bc', from: 'ws0bcd00', to: 'ws0bcdzz' };
    expect(inRange('ws0bcd000', range)).toBe(true);
    expect(inRange('ws0bcdzzz', range)).toBe(true);
    expect(inRange('ws0bcczzz', range)).toBe(false);
    expect(inRange('ws0bce000', range)).toBe(false);
  });

  it('partitions the index by the first five characters', () => {
    const keys = geoKeys({ lat: 26.879, lng: 112.613 });
    expect(keys.geohash).toHaveLength(9);
    expect(keys.geoArea).toBe(keys.geohash.slice(0, 5));
  });

  it('measures distances in whole metres and coarsens public locations to 4 decimals', () => {
    expect(distanceMetres({ lat: 26.879, lng: 112.613 }, { lat: 26.88, lng: 112.613 })).toBe(111);
    expect(coarse({ lat: 26.8791234, lng: 112.6138765 })).toEqual({ lat: 26.8791, lng: 112.6139 });
  });
});
