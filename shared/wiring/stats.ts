import { getDb } from '#shared/data/db';
import { createStatsReader } from '#shared/data/stats-store';
import type { StatsDeps } from '#shared/domain/stats/use-cases';
import { getReferenceDeps } from './reference.ts';

let deps: StatsDeps | undefined;

export function getStatsDeps(): StatsDeps {
  deps ??= { readDays: createStatsReader(getDb()), reference: getReferenceDeps().cache, now: () => new Date() };
  return deps;
}
