/**
 * 网格 warnings the API does not give: where two grids overlap and where an area enclosed by grids
 * belongs to none (a gap). Sampled on a lattice over the grids' extent (about 160 × 160 points) with
 * turf's point-in-polygon: enough to point the admin at a place on the map, not a survey.
 */
import bbox from '@turf/bbox';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

export type GridShape = Feature<Polygon | MultiPolygon, { id: string; name: string }>;
export interface Overlap {
  a: string;
  b: string;
  names: [string, string];
  at: { lat: number; lng: number };
  squareMetres: number;
}
export interface Gap {
  at: { lat: number; lng: number };
  squareMetres: number;
}

export function coverage(grids: readonly GridShape[], steps = 160): { overlaps: Overlap[]; gaps: Gap[] } {
  if (grids.length === 0) return { overlaps: [], gaps: [] };
  const boxes = grids.map((g) => bbox(g));
  const [minX, minY, maxX, maxY] = boxes.reduce((a, b) => [Math.min(a[0]!, b[0]!), Math.min(a[1]!, b[1]!), Math.max(a[2]!, b[2]!), Math.max(a[3]!, b[3]!)], [Infinity, Infinity, -Infinity, -Infinity]);
  const dx = (maxX! - minX!) / steps;
  const dy = (maxY! - minY!) / steps;
  const cellArea = dx * 111_320 * Math.cos((((minY! + maxY!) / 2) * Math.PI) / 180) * dy * 110_540;
  // covered[j][i]: how many grids hold the lattice point (cell centre) i, j.
  const covered: number[][] = [];
  const pairs = new Map<string, Overlap>();
  for (let j = 0; j < steps; j++) {
    const row: number[] = [];
    for (let i = 0; i < steps; i++) {
      const x = minX! + (i + 0.5) * dx;
      const y = minY! + (j + 0.5) * dy;
      const inside: number[] = [];
      grids.forEach((g, k) => {
        const b = boxes[k]!;
        if (x >= b[0]! && x <= b[2]! && y >= b[1]! && y <= b[3]! && booleanPointInPolygon([x, y], g)) inside.push(k);
      });
      row.push(inside.length);
      for (let p = 0; p < inside.length; p++)
        for (let q = p + 1; q < inside.length; q++) {
          const [a, b] = [grids[inside[p]!]!, grids[inside[q]!]!];
          const key = `${a.properties.id}|${b.properties.id}`;
          const found = pairs.get(key) ?? { a: a.properties.id, b: b.properties.id, names: [a.properties.name, b.properties.name] as [string, string], at: { lat: y, lng: x }, squareMetres: 0 };
          found.squareMetres += cellArea;
          pairs.set(key, found);
        }
    }
    covered.push(row);
  }
  // A gap: uncovered points with grid on every side (left, right, above, below) — enclosed, not the outskirts.
  const enclosed = (i: number, j: number) => {
    const hit = (di: number, dj: number) => {
      for (let a = i + di, b = j + dj; a >= 0 && a < steps && b >= 0 && b < steps; a += di, b += dj) if (covered[b]![a]! > 0) return true;
      return false;
    };
    return hit(1, 0) && hit(-1, 0) && hit(0, 1) && hit(0, -1);
  };
  const seen = new Set<number>();
  const gaps: Gap[] = [];
  for (let j = 0; j < steps; j++)
    for (let i = 0; i < steps; i++) {
      if (covered[j]![i]! > 0 || seen.has(j * steps + i) || !enclosed(i, j)) continue;
      // Flood the region; it is a gap only if none of it reaches the edge of the extent.
      const stack = [[i, j]];
      let cells = 0;
      let open = false;
      let sx = 0;
      let sy = 0;
      seen.add(j * steps + i);
      while (stack.length > 0) {
        const [a, b] = stack.pop()!;
        cells++;
        sx += a!;
        sy += b!;
        for (const [na, nb] of [[a! + 1, b!], [a! - 1, b!], [a!, b! + 1], [a!, b! - 1]] as const) {
          if (na < 0 || nb < 0 || na >= steps || nb >= steps) {
            open = true;
            continue;
          }
          if (covered[nb]![na]! > 0 || seen.has(nb * steps + na)) continue;
          seen.add(nb * steps + na);
          stack.push([na, nb]);
        }
      }
      if (!open) gaps.push({ at: { lng: minX! + (sx / cells + 0.5) * dx, lat: minY! + (sy / cells + 0.5) * dy }, squareMetres: cells * cellArea });
    }
  return { overlaps: [...pairs.values()], gaps };
}
