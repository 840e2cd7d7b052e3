import { createCaseStore } from '#shared/data/case-store';
import { getTable } from '#shared/data/db';
import { createQuotaCounter } from '#shared/data/quota-store';
import { createDutyStore } from '#shared/data/duty-store';
import { getConfig } from '#shared/config/index';
import type { DataRightsDeps } from '#shared/domain/identity/data-rights';
import { getIdentityStore } from './identity.ts';
import { cachedDepartments } from './reference-cache.ts';

let deps: DataRightsDeps | undefined;

/** Account cancellation and export: the account, case and quota stores, built once per container. */
export function getDataRightsDeps(): DataRightsDeps {
  deps ??= { users: getIdentityStore(), cases: createCaseStore(getTable(), cachedDepartments), quotas: createQuotaCounter(getTable()), duty: createDutyStore(getTable(), { retentionDays: getConfig().TRACK_RETENTION_DAYS }), now: () => new Date() };
  return deps;
}
