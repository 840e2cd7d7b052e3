import { defineModel, primaryKey } from '../model.ts';
import { TABLE } from '../table.ts';

/** The one chain of administrative changes (操作日志). */
export const AUDIT_CHAIN = 'admin';

/**
 * One entry of the administrative audit record (操作日志), in its chain's partition by seq (padded, so
 * the sort key orders them). `before`/`after` are stored as JSON text (what the digest covered, read back
 * byte-for-byte as the same values).
 */
export type AuditEntryItem = {
  chain: string;
  seq: number;
  at: string;
  actorId: string;
  actorName: string;
  kind: string;
  target: string;
  before?: string | undefined;
  after?: string | undefined;
  digest: string;
  prevHash: string;
  hash: string;
  erased?: boolean | undefined;
};
export const auditEntryModel = defineModel<AuditEntryItem>()({
  entity: 'auditEntry',
  indexes: { byChain: { pk: ['chain'], sk: ['seq'] } },
  padding: { seq: 12 },
});

/** The chain's head: the last entry's seq and hash. Every append updates it on condition it is still as read (one writer at a time). */
export const auditHeadModel = defineModel<{ chain: string; seq: number; hash: string; at: string }>()({
  entity: 'auditHead',
  indexes: { byChain: { pk: ['chain'], sk: [] } },
});

/**
 * The partition key of the chain (its entries and its head): the anchoring function may read in it and
 * nowhere else (its grant's `dynamodb:LeadingKeys` condition, infra/constructs/audit-anchor.ts).
 */
export const AUDIT_HEAD_PARTITION = primaryKey(auditHeadModel, { chain: AUDIT_CHAIN })[TABLE.partitionKey]!;
