import { cleanImage } from '#shared/adapters/images';
import { createPhotoObjects } from '#shared/adapters/photo-objects';
import type { ProcessingDeps } from '#shared/domain/photos/use-cases';
import { bucketLocation, getPhotoStore } from './photos.ts';

let deps: ProcessingDeps | undefined;

/** The upload processor's adapters: records, the bucket's objects and sharp (only this function loads sharp). */
export function getProcessingDeps(): ProcessingDeps {
  deps ??= { store: getPhotoStore(), objects: createPhotoObjects(bucketLocation()), clean: cleanImage };
  return deps;
}
