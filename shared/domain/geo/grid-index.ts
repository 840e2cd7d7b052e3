import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import RBush from 'rbush';
import type { MultiPolygon, Polygon } from 'geojson';

/** A community work grid (工作网格): the polygon and where it sits administratively. */
export interface Grid {
  id: string;
  name: string;
  community: string;
  communityCode?: string | undefined;
  street: string;
  streetCode?: string | undefined;
  district: string;
  districtCode?: string | undefined;
  geometry: Polygon | MultiPolygon;
}

interface Entry {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  grid: Grid;
}

/** [minLng, minLat, maxLng, maxLat] of a polygon or multipolygon. */
export function boundsOf(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const [x, y] of polygon[0] ?? []) {
      if (x! < minX) minX = x!;
      if (y! < minY) minY = y!;
      if (x! > maxX) maxX = x!;
      if (y! > maxY) maxY = y!;
    }
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Point-in-grid lookup: an R-tree of the grids' bounding boxes narrows thousands of grids to the few
 * whose box holds the point; turf then tests those polygons exactly (holes included). Built once per
 * container and rebuilt when the grids' version changes.
 */
export class GridIndex {
  private readonly tree = new RBush<Entry>();
  private readonly byId: Map<string, Grid>;
  readonly size: number;

  constructor(grids: readonly Grid[]) {
    this.tree.load(
      grids.map((grid) => {
        const [minX, minY, maxX, maxY] = boundsOf(grid.geometry);
        return { minX, minY, maxX, maxY, grid };
      }),
    );
    this.size = grids.length;
    this.byId = new Map(grids.map((g) => [g.id, g]));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Grid | undefined {
    return this.byId.get(id);
  }

  list(): Grid[] {
    return [...this.byId.values()];
  }

  /** The grid containing the WGS84 point, or undefined outside every grid (lowest id wins an overlap). */
  locate(lat: number, lng: number): Grid | undefined {
    const candidates = this.tree.search({ minX: lng, minY: lat, maxX: lng, maxY: lat });
    return candidates
      .filter((entry) => booleanPointInPolygon([lng, lat], entry.grid.geometry))
      .map((entry) => entry.grid)
      .sort((a, b) => a.id.localeCompare(b.id))[0];
  }
}
