import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { UploadDeps } from '#shared/domain/photos/use-cases';
import { bucketClient, type BucketLocation } from './photo-bucket.ts';

/** Signs browser uploads into the photo bucket (the upload function only). */
export function createUploadSigner(location: BucketLocation): UploadDeps['uploads'] {
  const client = bucketClient(location);
  return {
    /**
     * A browser-usable POST bounded to exactly this key, this content type and at most `maxBytes`
     * (`content-length-range`): S3 refuses anything else before storing a byte.
     */
    presignUpload: (key, contentType, maxBytes, expiresSeconds) =>
      createPresignedPost(client, {
        Bucket: location.bucket,
        Key: key,
        Conditions: [
          ['eq', '$Content-Type', contentType],
          ['content-length-range', 1, maxBytes],
        ],
        Fields: { 'Content-Type': contentType },
        Expires: expiresSeconds,
      }),
  };
}
