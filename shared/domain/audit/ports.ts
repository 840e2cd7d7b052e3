import type { AuditEntry, AuditInput } from './chain.ts';

export interface AuditFilter {
  from?: string | undefined;
  to?: string | undefined;
  actorId?: string | undefined;
  kind?: string | undefined;
}

/**
 * The audit record on storage. `transactWith` is how a store makes its own write and the entry one
 * transaction (the writes and the outcome are the table's own types: a store passes them through).
 */
export interface AuditLog {
  transactWith(writes: ReadonlyArray<readonly [string, unknown]> | ((replaced: Record<string, unknown> | undefined) => ReadonlyArray<readonly [string, unknown]>), input: AuditInput | ((before: Record<string, unknown> | undefined) => AuditInput), options?: { before?: unknown }): Promise<unknown>;
  /** An entry on its own (writes that are not one transaction: batched imports). */
  append(input: AuditInput): Promise<AuditEntry>;
  list(filter: AuditFilter, page: { limit: number; cursor?: string | undefined }): Promise<{ items: AuditEntry[]; nextCursor?: string | undefined }>;
  /** Every entry, oldest first (verification). */
  entries(): AsyncIterable<AuditEntry>;
  head(): Promise<{ seq: number; hash: string; at: string } | undefined>;
  /** Replaces every phone number in an entry's before/after (PIPL); its digest stays. */
  erasePhones(seq: number): Promise<boolean>;
  /** The HMAC key (verification). */
  key(): Promise<Uint8Array>;
}

/** A store write that is recorded: the log and what to append. */
export interface Audited {
  log: AuditLog;
  input: AuditInput | ((before: Record<string, unknown> | undefined) => AuditInput);
}
