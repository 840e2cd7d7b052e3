import S3rver from 's3rver';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** Browser uploads POST straight to the bucket, so the local bucket answers CORS like the real one. */
const CORS_XML = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

/**
 * The local audit anchors' bucket. s3rver has no Object Lock (a PUT replaces, a DELETE removes): locally
 * the anchor shows the mechanism, the lock itself exists only in the stack (docs/operations.md).
 */
export const LOCAL_ANCHOR_BUCKET = 'citygrid-audit-anchors-local';

export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * s3rver on 127.0.0.1 with the photo bucket (and `otherBuckets`, e.g. the audit anchors'), files under
 * `directory`. Signatures use S3RVER/S3RVER.
 */
export async function startS3(options: { port: number; directory: string; bucket: string; otherBuckets?: string[]; onEvent?: (event: { Records: Array<Record<string, unknown>> }) => void }): Promise<LocalS3> {
  const directory = resolve(options.directory);
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [CORS_XML] }, ...(options.otherBuckets ?? []).map((name) => ({ name, configs: [] }))],
  });
  // s3rver emits S3-shaped notification events after storing an object: the platform forwards them
  // to the same function S3 notifications invoke in the cloud.
  if (options.onEvent) server.on('event', options.onEvent);
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () => server.close(),
  };
}
