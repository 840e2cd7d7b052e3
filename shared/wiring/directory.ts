import type { DirectoryDeps } from '#shared/domain/identity/directory';
import { getIdentityStore } from './identity.ts';
import { getReferenceCache } from './reference-cache.ts';

/** The staff directory: accounts plus the cached department tree and grids (kept out of the auth wiring every function loads). */
export function getDirectoryDeps(): DirectoryDeps {
  const cache = getReferenceCache();
  return { store: getIdentityStore(), departments: () => cache.departments(), grids: () => cache.grids() };
}
