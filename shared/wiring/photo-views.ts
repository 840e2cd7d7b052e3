import type { PhotoViewer } from '#shared/domain/photos/use-cases';
import { bucketLocation } from './photos.ts';

let viewer: Promise<PhotoViewer> | undefined;

/**
 * Signs photo views (the case detail). The S3 client and presigner load on the first photo to sign,
 * not at the function's start: a case without photos, or an error answer, never pays for them.
 */
export const photoViewer: PhotoViewer = {
  presignView: async (key, expiresSeconds) => {
    viewer ??= import('#shared/adapters/photo-views').then(({ createPhotoViewer }) => createPhotoViewer(bucketLocation()));
    viewer.catch(() => (viewer = undefined)); // a missing PHOTO_BUCKET is reported on every call, not cached
    return (await viewer).presignView(key, expiresSeconds);
  },
};
