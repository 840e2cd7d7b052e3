import { S3Client } from '@aws-sdk/client-s3';

/** Where the photo bucket is: its name, region and (local platform only) s3rver's endpoint. */
export interface BucketLocation {
  region: string;
  bucket: string;
  endpoint?: string | undefined;
}

/** An S3 client for the photo bucket (path-style on the local s3rver). */
export const bucketClient = (location: BucketLocation) =>
  new S3Client({ region: location.region, ...(location.endpoint ? { endpoint: location.endpoint, forcePathStyle: true } : {}) });
