import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ProcessingDeps } from '#shared/domain/photos/use-cases';
import { bucketClient, type BucketLocation } from './photo-bucket.ts';

/** The upload processor's reads, writes and deletes of photo objects. */
export function createPhotoObjects(location: BucketLocation): ProcessingDeps['objects'] {
  const client = bucketClient(location);
  const Bucket = location.bucket;
  return {
    async read(key, maxBytes) {
      const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      if ((object.ContentLength ?? 0) > maxBytes) throw new RangeError(`The object is ${object.ContentLength} bytes, above ${maxBytes}`);
      if (!object.Body) throw new RangeError('The object has no body');
      return Buffer.from(await object.Body.transformToByteArray());
    },
    write: (key, body, contentType) =>
      client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType, CacheControl: 'private, max-age=300' })),
    remove: (key) => client.send(new DeleteObjectCommand({ Bucket, Key: key })),
  };
}
