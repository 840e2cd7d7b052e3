import { randomUUID } from 'node:crypto';
import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createCaseStore } from '#shared/data/case-store';
import type { CaseDeps } from '#shared/domain/cases/deps';
import { getIdentityStore } from './identity.ts';
import { getPhotoStore } from './photos.ts';
import { getQuotas } from './quotas.ts';
import { cachedDepartments, getReferenceCache } from './reference-cache.ts';

let deps: Promise<CaseDeps> | undefined;

/** The case use cases' adapters, built once per container. */
export function getCaseDeps(): Promise<CaseDeps> {
  deps ??= (async () => ({
    store: createCaseStore(getTable(), cachedDepartments),
    reference: getReferenceCache(),
    users: getIdentityStore(),
    photos: { store: getPhotoStore() },
    fieldCheckHours: getConfig().FIELD_CHECK_HOURS,
    positionLimits: getConfig().POSITION_LIMITS,
    photoFarMetres: getConfig().PHOTO_FAR_METRES,
    quotas: getQuotas(),
    now: () => new Date(),
    newId: () => randomUUID(),
  }))();
  deps.catch(() => (deps = undefined)); // a failed start (e.g. the secret fetch) is retried on the next call
  return deps;
}
