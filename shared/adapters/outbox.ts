import { randomUUID } from 'node:crypto';
import { outboxMessageModel } from '#shared/data/entities/outbox-message';
import { withCursor } from '#shared/data/conditions';
import { query, send, write, type Table } from '#shared/data/operations';
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
    async record(entry: OutboxEntry) {
      const at = now();
      // Time-ordered id: the ISO instant sorts lexically; the uuid keeps ids unique within a millisecond.
      const id = `${at.toISOString()}#${randomUUID()}`;
      await send(table, write.put(table, outboxMessageModel, { id, ...entry, createdAt: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + WEEK_SECONDS }, { create: true }));
      return id;
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
