import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PhotoViewer } from '#shared/domain/photos/use-cases';
import { bucketClient, type BucketLocation } from './photo-bucket.ts';

/** Signs short-lived GETs of cleaned copies and thumbnails (the case detail only). */
export function createPhotoViewer(location: BucketLocation): PhotoViewer {
  const client = bucketClient(location);
  return {
    presignView: (key, expiresSeconds) => getSignedUrl(client, new GetObjectCommand({ Bucket: location.bucket, Key: key }), { expiresIn: expiresSeconds }),
  };
}
