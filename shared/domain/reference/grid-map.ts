import { gridsFeatureCollection } from '#shared/domain/geo/display';
import type { GridIndex } from '#shared/domain/geo/grid-index';

/** One FeatureCollection per loaded grid index: the cache builds a new index only when the grids' version moves. */
const built = new WeakMap<GridIndex, ReturnType<typeof gridsFeatureCollection>>();

/** 网格地图 — every grid, simplified for display, built once per version of the grids in a container. */
export async function gridsGeoJson(deps: { cache: { grids(): Promise<GridIndex> } }) {
  const grids = await deps.cache.grids();
  let collection = built.get(grids);
  if (!collection) {
    collection = gridsFeatureCollection(grids.list().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
    built.set(grids, collection);
  }
  return collection;
}
