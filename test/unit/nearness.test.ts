import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coarse, coveringCells, distanceMetres, geoKeys, MAX_CELLS } from '#shared/domain/geo/nearness';

const METRES_PER_DEGREE = 111_320;
/** A point `metres` away from `center` in direction `bearing` (radians), on the local flat approximation. */
const offset = (center: { lat: number; lng: number }, metres: number, bearing: number) => ({
  lat: center.lat + (metres * Math.cos(bearing)) / METRES_PER_DEGREE,
  lng: center.lng + (metres * Math.sin(bearing)) / (METRES_PER_DEGREE * Math.cos((center.lat * Math.PI) / 180)),
});

describe('nearness: covering geohash cells', () => {
  it('covers every point within the radius: its stored geohash starts with one of the cells', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 18, max: 53, noNaN: true }),
        fc.double({ min: 73, max: 135, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        (lat, lng, radius, fraction, bearing) => {
          const center = { lat, lng };
          const point = offset(center, radius * fraction * 0.99, bearing);
          const cells = coveringCells(center, radius);
          expect(cells.length).toBeLessThanOrEqual(MAX_CELLS);
          expect(cells.some((cell) => geoKeys(point).geohash.startsWith(cell))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('uses fine cells for short radii and coarser ones for long radii (few Queries either way)', () => {
    const center = { lat: 26.879, lng: 112.613 };
    expect(coveringCells(center, 100)[0]).toHaveLength(7);
    expect(coveringCells(center, 500)[0]).toHaveLength(6);
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
