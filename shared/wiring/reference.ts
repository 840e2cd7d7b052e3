import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import type { ReferenceDeps } from '#shared/domain/reference/use-cases';

let deps: ReferenceDeps | undefined;

/** Reference store and its per-container cache, built once. */
export function getReferenceDeps(): ReferenceDeps {
  if (!deps) {
    const store = createReferenceStore(getTable());
    deps = { store, cache: createReferenceCache(store, { maxStaleMs: getConfig().REFERENCE_CACHE_SECONDS * 1000 }) };
  }
  return deps;
}

/** The department tree as this container caches it (the case store keys the subtree queues from it). */
export const cachedDepartments = () => getReferenceDeps().cache.departments();
