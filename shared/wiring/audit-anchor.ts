import { S3Client } from '@aws-sdk/client-s3';
import { getConfig } from '#shared/config/index';
import { anchorWriter } from '#shared/adapters/anchor-bucket';
import { readAuditHead } from '#shared/data/audit-head';
import { getTable } from '#shared/data/db';
import type { AnchorDeps } from '#shared/domain/audit/anchor';

let deps: AnchorDeps | undefined;

/** The anchor function's reads and writes: the head item and the anchor bucket (AUDIT_ANCHOR_BUCKET). */
export function getAnchorDeps(): AnchorDeps {
  if (deps) return deps;
  const config = getConfig();
  if (!config.AUDIT_ANCHOR_BUCKET) throw new Error('AUDIT_ANCHOR_BUCKET is not set');
  const client = new S3Client({ region: config.AWS_REGION, ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT, forcePathStyle: true } : {}) });
  const table = getTable();
  deps = { head: () => readAuditHead(table), put: anchorWriter(client, config.AUDIT_ANCHOR_BUCKET), now: () => new Date() };
  return deps;
}
