import { readFileSync } from 'node:fs';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parseAnchor, type AuditAnchor } from '#shared/domain/audit/anchor';

/** An anchor and where it was read (named in `audit verify`'s output). */
export interface NamedAnchor {
  name: string;
  anchor: AuditAnchor;
}

/**
 * The latest anchor in the anchor bucket: the greatest key under `anchors/` (`YYYY/MM/DD/HH.json` sorts
 * by time), its current version. Undefined when the bucket has none yet.
 */
export async function latestAnchor(client: S3Client, bucket: string): Promise<NamedAnchor | undefined> {
  let latest: string | undefined;
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'anchors/', ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key && (!latest || object.Key > latest)) latest = object.Key;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (!latest) return undefined;
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: latest }));
  const anchor = parseAnchor((await object.Body?.transformToString()) ?? '');
  if (!anchor) throw new Error(`s3://${bucket}/${latest} is not an anchor ({ seq, hash, at })`);
  return { name: `s3://${bucket}/${latest}`, anchor };
}

/** An anchor saved as a file (e.g. downloaded from the bucket). */
export function anchorFile(path: string): NamedAnchor {
  const anchor = parseAnchor(readFileSync(path, 'utf8'));
  if (!anchor) throw new Error(`${path} is not an anchor ({ seq, hash, at })`);
  return { name: path, anchor };
}
