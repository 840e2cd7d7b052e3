import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** The photo bucket: presigned POST uploads, signed GET views, and the processor's reads and writes. */
export function createPhotoStorage(options: { region: string; bucket: string; endpoint?: string | undefined }) {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
  });
  const Bucket = options.bucket;
  return {
    /**
     * A browser-usable POST bounded to exactly this key, this content type and at most `maxBytes`
     * (`content-length-range`): S3 refuses anything else before storing a byte.
     */
    presignUpload: (key: string, contentType: string, maxBytes: number, expiresSeconds: number) =>
      createPresignedPost(client, {
        Bucket,
        Key: key,
        Conditions: [
          ['eq', '$Content-Type', contentType],
          ['content-length-range', 1, maxBytes],
        ],
        Fields: { 'Content-Type': contentType },
        Expires: expiresSeconds,
      }),
    presignView: (key: string, expiresSeconds: number) => getSignedUrl(client, new GetObjectCommand({ Bucket, Key: key }), { expiresIn: expiresSeconds }),
    async read(key: string, maxBytes: number): Promise<Buffer> {
      const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      if ((object.ContentLength ?? 0) > maxBytes) throw new RangeError(`The object is ${object.ContentLength} bytes, above ${maxBytes}`);
      return Buffer.from(await object.Body!.transformToByteArray());
    },
    write: (key: string, body: Buffer, contentType: string) =>
      client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType, CacheControl: 'private, max-age=300' })),
    remove: (key: string) => client.send(new DeleteObjectCommand({ Bucket, Key: key })),
  };
}

export type PhotoStorage = ReturnType<typeof createPhotoStorage>;
