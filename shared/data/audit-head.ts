import { AUDIT_CHAIN, auditHeadModel } from './entities/audit.ts';
import { get, type Table } from './operations.ts';

/** The audit chain's head (last seq and hash), read consistently: one GetItem (what the anchor reads). */
export async function readAuditHead(table: Table): Promise<{ seq: number; hash: string; at: string } | undefined> {
  const head = await get(table, auditHeadModel, { chain: AUDIT_CHAIN }, { consistent: true });
  return head ? { seq: head.seq, hash: head.hash, at: head.at } : undefined;
}
