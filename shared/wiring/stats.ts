import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createStatsReader } from '#shared/data/stats-store';
import type { StatsDeps } from '#shared/domain/stats/use-cases';
import { getIdentityStore } from './identity.ts';
import { getReferenceCache } from './reference-cache.ts';

let deps: StatsDeps | undefined;

export function getStatsDeps(): StatsDeps {
  const weights = getConfig().SCORE_WEIGHTS;
  deps ??= {
    readDays: createStatsReader(getTable()),
    reference: getReferenceCache(),
    staffWithRole: (role) => getIdentityStore().listAllWithRole(role),
    now: () => new Date(),
    ...(weights ? { weights } : {}),
  };
  return deps;
}
