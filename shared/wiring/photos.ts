import { randomUUID } from 'node:crypto';
import { getConfig } from '#shared/config/index';
import { getDb } from '#shared/data/db';
import { createPhotoStore } from '#shared/data/photo-store';
import type { PhotoDeps } from '#shared/domain/photos/use-cases';
import { cleanImage } from '#shared/adapters/images';
import { createPhotoStorage, type PhotoStorage } from '#shared/adapters/storage';

let storage: PhotoStorage | undefined;

/** The photo bucket's client, built on first use: functions that never touch S3 need no PHOTO_BUCKET. */
function photoStorage(): PhotoStorage {
  if (!storage) {
    const config = getConfig();
    if (!config.PHOTO_BUCKET) throw new Error('PHOTO_BUCKET is not set for a function that uses the photo bucket');
    storage = createPhotoStorage({ region: config.AWS_REGION, bucket: config.PHOTO_BUCKET, endpoint: config.S3_ENDPOINT });
  }
  return storage;
}

/** Delegates to the bucket client lazily (attaching photos reads records only; viewing signs URLs). */
const lazyStorage: PhotoDeps['storage'] = {
  presignUpload: async (...args) => photoStorage().presignUpload(...args),
  presignView: async (...args) => photoStorage().presignView(...args),
  read: async (...args) => photoStorage().read(...args),
  write: async (...args) => photoStorage().write(...args),
  remove: async (...args) => photoStorage().remove(...args),
};

let deps: PhotoDeps | undefined;

/** The photo use cases' adapters (table, lazily the S3 client, sharp), built once per container. */
export function getPhotoDeps(): PhotoDeps {
  deps ??= { store: createPhotoStore(getDb()), storage: lazyStorage, clean: cleanImage, now: () => new Date(), newId: () => randomUUID() };
  return deps;
}
