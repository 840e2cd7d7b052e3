import type { DirectoryDeps } from '#shared/domain/identity/directory';
import { getIdentityStore } from './identity.ts';
import { getReferenceDeps } from './reference.ts';

/** The staff directory: accounts plus the cached department tree and grids (kept out of the auth wiring every function loads). */
export function getDirectoryDeps(): DirectoryDeps {
  const { cache } = getReferenceDeps();
  return { store: getIdentityStore(), departments: () => cache.departments(), grids: () => cache.grids() };
}
