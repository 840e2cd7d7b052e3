/**
 * Hourly (EventBridge rate(1 hour)): copies the audit record's head `{ seq, hash }` into the Object Lock
 * bucket as `anchors/YYYY/MM/DD/HH.json` (shared/domain/audit/anchor.ts). `npm run city -- audit verify
 * --anchor latest` checks the chain against the latest one.
 */
import { anchorAuditHead } from '#shared/domain/audit/anchor';
import { logger } from '#shared/observability/logger';
import { getAnchorDeps } from '#shared/wiring/audit-anchor';

export async function anchorAudit() {
  const { key, anchor } = await anchorAuditHead(getAnchorDeps());
  logger.info('audit head anchored', { key, seq: anchor.seq });
  return { key, ...anchor };
}

export const handler = () => anchorAudit();
