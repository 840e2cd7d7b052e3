import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Writes anchor objects into the Object Lock bucket. A PUT into a bucket with a default retention needs
 * an integrity checksum (Content-MD5 or x-amz-checksum-*): the SHA-256 one is sent.
 */
export const anchorWriter = (client: S3Client, bucket: string) => async (key: string, body: string) => {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json', ChecksumAlgorithm: 'SHA256' }));
};
