import { randomUUID } from 'node:crypto';
import { getConfig } from '#shared/config/index';
import type { BucketLocation } from '#shared/adapters/photo-bucket';
import { getTable } from '#shared/data/db';
import { createPhotoStore } from '#shared/data/photo-store';
import type { PhotoStore } from '#shared/domain/photos/use-cases';

/**
 * Photo records on the table: all that reporting and completing need (attaching checks records only).
 * The bucket's parts are wired in their own modules (`photo-uploads`, `photo-views`,
 * `photo-processing`), so a function bundles and loads only the S3 code of its own route.
 */
let store: PhotoStore | undefined;
export function getPhotoStore(): PhotoStore {
  store ??= createPhotoStore(getTable());
  return store;
}

/** The photo bucket from the configuration; functions that never touch S3 need no PHOTO_BUCKET. */
export function bucketLocation(): BucketLocation {
  const config = getConfig();
  if (!config.PHOTO_BUCKET) throw new Error('PHOTO_BUCKET is not set for a function that uses the photo bucket');
  return { region: config.AWS_REGION, bucket: config.PHOTO_BUCKET, endpoint: config.S3_ENDPOINT };
}

export const photoClock = { now: () => new Date(), newId: () => randomUUID() };
