import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { GridIndex, type Grid } from '#shared/domain/geo/grid-index';
import { loadInProcess, type Measurement } from './lib.ts';

/** `n` square grids of ~800 m on a lattice around the demo city, like a city's community grids. */
export function generatedGrids(n: number): Grid[] {
  const side = Math.ceil(Math.sqrt(n));
  return Array.from({ length: n }, (_, i) => {
    const x = 112.5 + (i % side) * 0.008;
    const y = 26.8 + Math.floor(i / side) * 0.008;
    return {
      id: `g${i}`,
      name: `网格${i}`,
      community: `社区${i}`,
      street: '街道',
      district: '区',
      geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.0079, y], [x + 0.0079, y + 0.0079], [x, y + 0.0079], [x, y]]] },
    };
  });
}

const BATCH = 1000;

/**
 * Locate latency with 20 vs 2,000 grids (in-process: the index is what scales), timed in batches of
 * 1,000 calls so the timer's resolution does not swamp a microsecond operation; figures are per call.
 * A brute-force scan of 2,000 polygons is the baseline the index replaces.
 */
export async function benchLocate(seconds: number): Promise<{ rows: Measurement[]; ratio: number }> {
  const rows: Measurement[] = [];
  const perCall = (m: Measurement): Measurement => ({
    ...m,
    requests: m.requests * BATCH,
    reqPerSec: m.reqPerSec * BATCH,
    meanMs: m.meanMs / BATCH,
    p50Ms: m.p50Ms / BATCH,
    p99Ms: m.p99Ms / BATCH,
  });
  const pointsFor = (n: number) => {
    const side = Math.ceil(Math.sqrt(n));
    // Points spread over the whole city, a stride apart, inside grids.
    return Array.from({ length: BATCH }, (_, j) => {
      const i = (j * 7919) % n;
      return [26.8 + Math.floor(i / side) * 0.008 + 0.004, 112.5 + (i % side) * 0.008 + 0.004] as const;
    });
  };
  for (const n of [20, 2000]) {
    const index = new GridIndex(generatedGrids(n));
    const points = pointsFor(n);
    rows.push(perCall(await loadInProcess(`locate, ${n} grids (R-tree)`, async () => {
      for (const [lat, lng] of points) index.locate(lat, lng);
    }, seconds)));
  }
  const grids = generatedGrids(2000);
  const points = pointsFor(2000).slice(0, 100);
  const scan = await loadInProcess('locate, 2000 grids (linear scan, baseline)', async () => {
    for (const [lat, lng] of points) grids.find((g) => booleanPointInPolygon([lng, lat], g.geometry));
  }, seconds);
  rows.push({ ...scan, requests: scan.requests * 100, reqPerSec: scan.reqPerSec * 100, meanMs: scan.meanMs / 100, p50Ms: scan.p50Ms / 100, p99Ms: scan.p99Ms / 100 });
  return { rows, ratio: rows[1]!.p50Ms / rows[0]!.p50Ms };
}
