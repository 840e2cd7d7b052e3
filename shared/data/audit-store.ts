import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { BusyError } from '#shared/domain/errors';
import { GENESIS_HASH, sealEntry, withoutPhones, type AuditEntry, type AuditInput } from '#shared/domain/audit/chain';
import type { AuditFilter, AuditLog, Audited } from '#shared/domain/audit/ports';
import { failedWrites, withConflictRetry, withCursor } from './conditions.ts';
import { AUDIT_CHAIN, auditEntryModel, auditHeadModel, type AuditEntryItem } from './entities/audit.ts';
import { fromStored, isOf, primaryKey, type AnyModel, type ItemOf } from './model.ts';
import { allOf, get, query, send, transact, write, type Table, type TransactionOutcome, type Write } from './operations.ts';

const CHAIN = AUDIT_CHAIN;

const toItem = (e: AuditEntry): AuditEntryItem => ({
  chain: CHAIN,
  seq: e.seq,
  at: e.at,
  actorId: e.actorId,
  actorName: e.actorName,
  kind: e.kind,
  target: e.target,
  ...(e.before !== undefined ? { before: JSON.stringify(e.before) } : {}),
  ...(e.after !== undefined ? { after: JSON.stringify(e.after) } : {}),
  digest: e.digest,
  prevHash: e.prevHash,
  hash: e.hash,
  ...(e.erased ? { erased: true } : {}),
});

const toEntry = ({ chain: _c, before, after, kind, ...rest }: AuditEntryItem): AuditEntry => ({
  ...rest,
  kind: kind as AuditEntry['kind'],
  ...(before !== undefined ? { before: JSON.parse(before) as unknown } : {}),
  ...(after !== undefined ? { after: JSON.parse(after) as unknown } : {}),
});

/** The item a write replaces, read with the head in the same request: a model and its key. */
export interface BeforeRead<M extends AnyModel = AnyModel> {
  model: M;
  key: Partial<ItemOf<M>>;
}

/**
 * The audit record on the single table. An append reads the head (and the item the change replaces) in
 * one BatchGetItem — the one round trip the audit adds — then writes the change, the new entry and the
 * head in ONE transaction, the head on condition that it is still as read: concurrent admin writes
 * retry, so the chain never forks and never has a gap.
 */
export function createAuditLog(table: Table, loadKey: () => Promise<Uint8Array>, now: () => Date = () => new Date()): AuditLog & {
  transactWith<K extends string>(writes: Writes<K>, input: Audited['input'], options?: { before?: BeforeRead }): Promise<TransactionOutcome<K | 'audit-entry' | 'audit-head'>>;
} {
  const headKey = primaryKey(auditHeadModel, { chain: CHAIN });

  /** The head and the replaced item, consistently, in one request. */
  async function readHead(before: BeforeRead | undefined) {
    const keys = [headKey, ...(before ? [primaryKey(before.model, before.key)] : [])];
    let pending: Array<Record<string, unknown>> | undefined = keys;
    const found: Array<Record<string, unknown>> = [];
    while (pending?.length) {
      const result = await table.client.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending, ConsistentRead: true } } }));
      found.push(...(result.Responses?.[table.name] ?? []));
      pending = result.UnprocessedKeys?.[table.name]?.Keys as typeof pending;
    }
    const head = found.find((i) => isOf(auditHeadModel, i));
    const replaced = before ? found.find((i) => isOf(before.model, i)) : undefined;
    return { head: head ? fromStored(auditHeadModel, head) : undefined, replaced: replaced && before ? (fromStored(before.model, replaced) as Record<string, unknown>) : undefined };
  }

  async function transactWith<K extends string>(writes: Writes<K>, input: Audited['input'], options: { before?: BeforeRead } = {}) {
    const key = await loadKey();
    for (let attempt = 1; ; attempt++) {
      const { head, replaced } = await readHead(options.before);
      const prev = head ?? { seq: 0, hash: GENESIS_HASH };
      const entry = sealEntry(key, prev, typeof input === 'function' ? input(replaced) : input, now());
      const headWrite = write.put(table, auditHeadModel, { chain: CHAIN, seq: entry.seq, hash: entry.hash, at: entry.at }, { if: (x) => (head ? x.eq('seq', head.seq) : x.notExists('seq')) });
      const own = typeof writes === 'function' ? writes(replaced) : writes;
      const result = await withConflictRetry(() => transact<K | 'audit-entry' | 'audit-head'>(table, [...own, ['audit-entry', write.put(table, auditEntryModel, toItem(entry), { create: true })], ['audit-head', headWrite]]));
      if (!result.canceled) return result;
      const failed = failedWrites(result);
      // Another admin's change took this seq: read the head again and append after it.
      if (!failed.has('audit-head') && !failed.has('audit-entry')) return result;
      if (attempt >= 25) throw new BusyError();
      await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(attempt, 8)));
    }
  }

  return {
    transactWith: transactWith as never,
    key: loadKey,

    async append(input: AuditInput) {
      const result = await transactWith([], input);
      if (result.canceled) throw new Error('Audit append cancelled');
      return (await this.list({}, { limit: 1 })).items[0]!;
    },

    async head() {
      const head = await get(table, auditHeadModel, { chain: CHAIN }, { consistent: true });
      return head ? { seq: head.seq, hash: head.hash, at: head.at } : undefined;
    },

    async list(filter: AuditFilter, page) {
      const matches = allOf(
        filter.from ? (x) => `${x.name('at')} >= ${x.value(filter.from)}` : undefined,
        filter.to ? (x) => x.lt('at', filter.to) : undefined,
        filter.actorId ? (x) => x.eq('actorId', filter.actorId) : undefined,
        filter.kind ? (x) => x.eq('kind', filter.kind) : undefined,
      );
      // Newest first. DynamoDB applies Limit before the filter: read pages of 100 and stop at `limit`
      // matches; the cursor is then the key of the last entry answered (exact, whatever the page held).
      const items: AuditEntry[] = [];
      let next: string | undefined = page.cursor;
      for (let reads = 0; reads < 20 && items.length < page.limit; reads++) {
        const from = next;
        const found = await withCursor(from, () => query(table, auditEntryModel, 'byChain', { chain: CHAIN }, { order: 'desc', limit: Math.max(page.limit, 100), cursor: from, filter: matches }));
        const wanted = found.items.slice(0, page.limit - items.length);
        items.push(...wanted.map(toEntry));
        next = wanted.length < found.items.length ? Buffer.from(JSON.stringify(primaryKey(auditEntryModel, wanted.at(-1)!))).toString('base64url') : found.cursor;
        if (!next) break;
      }
      return { items, ...(next ? { nextCursor: next } : {}) };
    },

    async *entries() {
      let cursor: string | undefined;
      do {
        const page = await query(table, auditEntryModel, 'byChain', { chain: CHAIN }, { limit: 500, cursor, consistent: true });
        for (const item of page.items) yield toEntry(item);
        cursor = page.cursor;
      } while (cursor);
    },

    async erasePhones(seq) {
      const item = await get(table, auditEntryModel, { chain: CHAIN, seq }, { consistent: true });
      if (!item) return false;
      const entry = toEntry(item);
      const erased = { ...entry, before: withoutPhones(entry.before, '[erased]'), after: withoutPhones(entry.after, '[erased]'), erased: true };
      await send(table, write.put(table, auditEntryModel, toItem(erased), { if: (x) => x.eq('hash', entry.hash) }));
      return true;
    },
  };
}

export type TableAuditLog = ReturnType<typeof createAuditLog>;

/**
 * A transaction's own writes, or a function of the item it replaces (read with the audit head in the same
 * BatchGetItem; read alone when the write is not recorded): a versioned write takes its version from it.
 */
export type Writes<K extends string> = ReadonlyArray<readonly [K, Write]> | ((replaced: Record<string, unknown> | undefined) => ReadonlyArray<readonly [K, Write]>);

/** A store's transaction, with its audit entry when the write is recorded (the same transaction). */
export async function transactAudited<K extends string>(table: Table, writes: Writes<K>, audit: Audited | undefined, before?: BeforeRead): Promise<TransactionOutcome<K | 'audit-entry' | 'audit-head'>> {
  if (!audit) {
    const own = typeof writes === 'function' ? writes(before ? ((await get(table, before.model, before.key, { consistent: true })) as Record<string, unknown> | undefined) : undefined) : writes;
    return withConflictRetry(() => transact<K | 'audit-entry' | 'audit-head'>(table, own));
  }
  return (audit.log as TableAuditLog).transactWith<K>(writes, audit.input, before ? { before } : {});
}
