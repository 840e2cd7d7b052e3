import { CASE_DETAIL_ENTITIES, CASE_ENTITIES, createCaseStore } from '#shared/data/case-store';
import { getDb } from '#shared/data/db';
import type { DataRightsDeps } from '#shared/domain/identity/data-rights';
import { getIdentityStore } from './identity.ts';

let deps: DataRightsDeps | undefined;

/** Account cancellation and export: the account store and the case store, built once per container. */
export function getDataRightsDeps(): DataRightsDeps {
  deps ??= { users: getIdentityStore(), cases: createCaseStore(getDb(CASE_ENTITIES), getDb(CASE_DETAIL_ENTITIES)), now: () => new Date() };
  return deps;
}
