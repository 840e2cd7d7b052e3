import { randomUUID } from 'node:crypto';
import { getConfig } from '#shared/config/index';
import { getDb } from '#shared/data/db';
import { createPhotoStore } from '#shared/data/photo-store';
import type { PhotoDeps } from '#shared/domain/photos/use-cases';
import { cleanImage } from '#shared/adapters/images';
import { createPhotoStorage } from '#shared/adapters/storage';

let deps: PhotoDeps | undefined;

/** The photo use cases' adapters (S3 client, table, sharp), built once per container. */
export function getPhotoDeps(): PhotoDeps {
  if (!deps) {
    const config = getConfig();
    if (!config.PHOTO_BUCKET) throw new Error('PHOTO_BUCKET is not set');
    deps = {
      store: createPhotoStore(getDb()),
      storage: createPhotoStorage({ region: config.AWS_REGION, bucket: config.PHOTO_BUCKET, endpoint: config.S3_ENDPOINT }),
      clean: cleanImage,
      now: () => new Date(),
      newId: () => randomUUID(),
    };
  }
  return deps;
}
