import { getTable } from '#shared/data/db';
import { createReferenceStore } from '#shared/data/reference-store';
import type { ReferenceDeps } from '#shared/domain/reference/use-cases';
import { getReferenceCache } from './reference-cache.ts';

export { cachedDepartments } from './reference-cache.ts';

let deps: ReferenceDeps | undefined;

/** Reference store (reads and writes) and the container's cache, built once. */
export function getReferenceDeps(): ReferenceDeps {
  deps ??= { store: createReferenceStore(getTable()), cache: getReferenceCache() };
  return deps;
}
