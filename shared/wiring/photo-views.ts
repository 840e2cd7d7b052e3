import { createPhotoViewer } from '#shared/adapters/photo-views';
import type { PhotoViewer } from '#shared/domain/photos/use-cases';
import { bucketLocation } from './photos.ts';

let viewer: PhotoViewer | undefined;

/** Signs photo views (the case detail), built on first use: a case without photos needs no bucket. */
export const photoViewer: PhotoViewer = {
  presignView: async (key, expiresSeconds) => (viewer ??= createPhotoViewer(bucketLocation())).presignView(key, expiresSeconds),
};
