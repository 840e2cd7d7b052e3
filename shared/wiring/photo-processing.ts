import { cleanImage, readEvidence } from '#shared/adapters/images';
import { createPhotoHashStore } from '#shared/data/photo-hash-store';
import { getTable } from '#shared/data/db';
import { createPhotoObjects } from '#shared/adapters/photo-objects';
import type { ProcessingDeps } from '#shared/domain/photos/use-cases';
import { bucketLocation, getPhotoStore } from './photos.ts';

let deps: ProcessingDeps | undefined;

/** The upload processor's adapters: records, the bucket's objects and sharp (only this function loads sharp). */
export function getProcessingDeps(): ProcessingDeps {
  deps ??= { store: getPhotoStore(), objects: createPhotoObjects(bucketLocation()), clean: cleanImage, readEvidence, hashes: createPhotoHashStore(getTable()) };
  return deps;
}
