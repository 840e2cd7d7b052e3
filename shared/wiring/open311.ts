import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createOpen311Reader } from '#shared/data/open311-store';
import type { Open311Deps } from '#shared/domain/open311/use-cases';
import { cleanKeyOf, PHOTO_POLICY } from '#shared/domain/photos/model';
import { getApiKeyStore } from './api-keys.ts';
import { getCaseDeps } from './cases.ts';
import { photoViewer } from './photo-views.ts';

let deps: Promise<Open311Deps> | undefined;

/** Open311's adapters, built once per container. */
export function getOpen311Deps(): Promise<Open311Deps> {
  deps ??= (async () => {
    const config = getConfig();
    return {
      cases: await getCaseDeps(),
      reader: createOpen311Reader(getTable()),
      keys: getApiKeyStore(),
      settings: {
        publicReads: config.OPEN311_PUBLIC_READS,
        publicPhotos: config.OPEN311_PUBLIC_PHOTOS,
        ratePerMinute: config.OPEN311_KEY_RATE_PER_MINUTE,
        addressRatePerMinute: config.OPEN311_ADDRESS_RATE_PER_MINUTE,
        discovery: { changeset: DISCOVERY_CHANGESET, contact: config.OPEN311_CONTACT, keyService: config.OPEN311_KEY_SERVICE, type: config.STAGE === 'prod' ? 'production' : 'test' },
      },
      photoUrl: (photoKey) => photoViewer.presignView(cleanKeyOf(photoKey), PHOTO_POLICY.viewExpiresSeconds),
      now: () => new Date(),
    };
  })();
  deps.catch(() => (deps = undefined));
  return deps;
}

/** When the service list or definitions last changed shape (bump it when they do). */
export const DISCOVERY_CHANGESET = '2026-12-02T00:00:00+08:00';
