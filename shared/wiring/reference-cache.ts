import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createReferenceCache, type ReferenceCache } from '#shared/data/reference-cache';
import { createReferenceReads } from '#shared/data/reference-reads';

let cache: ReferenceCache | undefined;

/**
 * The reference data as this container caches it, on the reads alone: what the case steps, events,
 * statistics and directory use (the admin routes' writes are in `./reference.ts`, not bundled with them).
 */
export function getReferenceCache(): ReferenceCache {
  cache ??= createReferenceCache(createReferenceReads(getTable()), { maxStaleMs: getConfig().REFERENCE_CACHE_SECONDS * 1000 });
  return cache;
}

/** The department tree as this container caches it (the case store keys the subtree queues from it). */
export const cachedDepartments = () => getReferenceCache().departments();
