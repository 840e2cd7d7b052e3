import { createCaseStore } from '#shared/data/case-store';
import { getTable } from '#shared/data/db';
import type { DataRightsDeps } from '#shared/domain/identity/data-rights';
import { getIdentityStore } from './identity.ts';

let deps: DataRightsDeps | undefined;

/** Account cancellation and export: the account store and the case store, built once per container. */
export function getDataRightsDeps(): DataRightsDeps {
  deps ??= { users: getIdentityStore(), cases: createCaseStore(getTable()), now: () => new Date() };
  return deps;
}
