import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createDutyStore } from '#shared/data/duty-store';
import type { DutyDeps } from '#shared/domain/duty/use-cases';
import { getIdentityStore } from './identity.ts';
import { getReferenceCache } from './reference-cache.ts';

let deps: DutyDeps | undefined;

/** 考勤 · 轨迹: the duty store (retention from TRACK_RETENTION_DAYS), accounts, departments and grids, built once. */
export function getDutyDeps(): DutyDeps {
  if (!deps) {
    const cache = getReferenceCache();
    deps = {
      store: createDutyStore(getTable(), { retentionDays: getConfig().TRACK_RETENTION_DAYS }),
      users: getIdentityStore(),
      departments: () => cache.departments(),
      grids: () => cache.grids(),
      now: () => new Date(),
    };
  }
  return deps;
}
