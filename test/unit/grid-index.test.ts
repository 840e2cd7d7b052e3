import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { GridIndex, type Grid } from '#shared/domain/geo/grid-index';
import { GridFeature } from '#shared/schemas/reference';
import { loadDemoCity } from '#infra/local/seed';

const square = (x: number, y: number, size: number): Polygon['coordinates'][number] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];
const grid = (id: string, geometry: Grid['geometry']): Grid => ({ id, name: id, community: id, street: 's', district: 'd', geometry });

describe('locating a point in the grids', () => {
  const index = new GridIndex(loadDemoCity().grids);

  it('puts the seed\'s point in 当家村社区 / 雁峰街道 / 雁峰区', () => {
    expect(index.locate(26.879, 112.613)).toMatchObject({ community: '当家村社区', street: '雁峰街道', district: '雁峰区' });
  });

  it('finds nothing in the sea or inside a polygon\'s notch', () => {
    expect(index.locate(20.0, 115.0)).toBeUndefined();
    // 当家村社区's outline has its north-east corner cut out, and no other grid covers it.
    expect(index.locate(26.881, 112.615)).toBeUndefined();
  });

  it('respects holes and multipolygons', () => {
    const withHole = grid('a', { type: 'Polygon', coordinates: [square(0, 0, 10), square(4, 4, 2)] });
    const islands = grid('b', { type: 'MultiPolygon', coordinates: [[square(20, 0, 1)], [square(30, 0, 1)]] });
    const small = new GridIndex([withHole, islands]);
    expect(small.locate(1, 1)?.id).toBe('a');
    expect(small.locate(5, 5)).toBeUndefined(); // in the hole
    expect(small.locate(0.5, 30.5)?.id).toBe('b');
    expect(small.locate(0.5, 25)).toBeUndefined(); // between the islands, inside the bounding box
  });

  it('answers consistently with a brute-force scan over many generated grids', () => {
    const many = Array.from({ length: 2500 }, (_, i) => grid(`g${i}`, { type: 'Polygon', coordinates: [square((i % 50) * 0.01, Math.floor(i / 50) * 0.01, 0.009)] }));
    const big = new GridIndex(many);
    for (let k = 0; k < 200; k++) {
      const lat = Math.random() * 0.5;
      const lng = Math.random() * 0.5;
      const cellX = Math.floor(lng / 0.01);
      const cellY = Math.floor(lat / 0.01);
      const inside = lng - cellX * 0.01 < 0.009 && lat - cellY * 0.01 < 0.009;
      expect(big.locate(lat, lng)?.id).toBe(inside ? `g${cellY * 50 + cellX}` : undefined);
    }
  });
});

describe('grid GeoJSON validation', () => {
  const feature = (coordinates: unknown) => ({
    type: 'Feature',
    properties: { name: 'x', community: 'x', street: 's', district: 'd' },
    geometry: { type: 'Polygon', coordinates },
  });
  const pathsOf = (input: unknown) => {
    const result = GridFeature.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts a closed, simple polygon', () => {
    expect(pathsOf(feature([square(112.6, 26.8, 0.01)]))).toEqual([]);
  });

  it('refuses an unclosed ring, naming the ring', () => {
    expect(pathsOf(feature([[[112.6, 26.8], [112.61, 26.8], [112.61, 26.81], [112.6, 26.81]]]))).toEqual(['geometry.coordinates.0']);
  });

  it('refuses a self-intersecting (bow-tie) ring', () => {
    expect(pathsOf(feature([[[112.6, 26.8], [112.61, 26.81], [112.6, 26.81], [112.61, 26.8], [112.6, 26.8]]]))).toEqual(['geometry.coordinates']);
  });

  it('refuses coordinates out of range and too-short rings', () => {
    expect(pathsOf(feature([[[200, 26.8], [112.61, 26.8], [112.61, 95], [200, 26.8]]])).length).toBeGreaterThan(0);
    expect(pathsOf(feature([[[112.6, 26.8], [112.61, 26.8], [112.6, 26.8]]]))).toContain('geometry.coordinates.0');
  });
});
