import { randomUUID } from 'node:crypto';
import { outboxEffectModel, outboxMessageModel } from '#shared/data/entities/outbox-message';
import { failedWrites, withConflictRetry, withCursor } from '#shared/data/conditions';
import { get, query, send, transact, write, type Table } from '#shared/data/operations';
import { sealedPage, type CursorCodec } from '#shared/domain/cases/ports';

export interface OutboxEntry {
  /** `callback`: a hotline callback the local stand-in receiver verified; `dead-letter`: a local delivery that failed every retry (the cloud's DLQ). */
  channel: 'sms' | 'topic' | 'callback' | 'dead-letter';
  destination: string;
  subject?: string;
  body: string;
  attributes?: Record<string, string>;
}

const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * The local stand-in for SNS: keeps what would have been sent as items in the table, where
 * `GET /dev/outbox` lists them. Selected by `MESSAGE_TRANSPORT=outbox`; never used in the cloud.
 */
export function createOutbox(table: Table, now: () => Date = () => new Date()) {
  return {
    /**
     * Keeps one message. With `effectKey` (the event processor's effect) at most one message per key is
     * ever kept: a repeat answers the id of the first, as a transport that drops duplicates would.
     */
    async record(entry: OutboxEntry, options: { effectKey?: string | undefined } = {}) {
      const at = now();
      // Time-ordered id: the ISO instant sorts lexically; the uuid keeps ids unique within a millisecond.
      const id = `${at.toISOString()}#${randomUUID()}`;
      const expiresAt = Math.floor(at.getTime() / 1000) + WEEK_SECONDS;
      const message = write.put(table, outboxMessageModel, { id, ...entry, createdAt: at.toISOString(), expiresAt }, { create: true });
      if (!options.effectKey) {
        await send(table, message);
        return id;
      }
      const effectKey = options.effectKey;
      const result = await withConflictRetry(() => transact(table, [['effect', write.put(table, outboxEffectModel, { effectKey, messageId: id, expiresAt }, { create: true })], ['message', message]]));
      if (!result.canceled) return id;
      if (!failedWrites(result).has('effect')) throw new Error(`The outbox could not keep a message: ${JSON.stringify(result.codes)}`);
      return (await get(table, outboxEffectModel, { effectKey }, { consistent: true }))?.messageId ?? id;
    },
    /** A page, newest first; without `cursors` (tests, scripts) the store's own positions are the cursors. */
    async list(page: { limit: number; cursor?: string | undefined }, cursors?: CursorCodec) {
      const read = async (p: { limit: number; cursor?: string | undefined }) => {
        const result = await withCursor(p.cursor, () => query(table, outboxMessageModel, 'byTime', {}, { order: 'desc', limit: p.limit, cursor: p.cursor }));
        return { items: result.items.map(({ expiresAt: _expiresAt, ...message }) => message), ...(result.cursor ? { nextCursor: result.cursor } : {}) };
      };
      return cursors ? sealedPage(cursors, 'outbox', page, read) : read(page);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
