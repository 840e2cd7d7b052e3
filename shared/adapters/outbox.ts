import { randomUUID } from 'node:crypto';
import type { DbOf } from '#shared/data/db';
import { outboxMessageEntity } from '#shared/data/entities/outbox-message';
import { withCursor } from '#shared/data/conditions';
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

export const OUTBOX_ENTITIES = { outboxMessage: outboxMessageEntity };

/**
 * The local stand-in for SNS: keeps what would have been sent as items in the table, where
 * `GET /dev/outbox` lists them. Selected by `MESSAGE_TRANSPORT=outbox`; never used in the cloud.
 */
export function createOutbox(db: DbOf<typeof OUTBOX_ENTITIES>, now: () => Date = () => new Date()) {
  return {
    async record(entry: OutboxEntry) {
      const at = now();
      // Time-ordered id: the ISO instant sorts lexically; the uuid keeps ids unique within a millisecond.
      const id = `${at.toISOString()}#${randomUUID()}`;
      await db.entities.outboxMessage
        .create({ id, ...entry, createdAt: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + WEEK_SECONDS })
        .go();
      return id;
    },
    /** A page, newest first; without `cursors` (tests, scripts) the store's own positions are the cursors. */
    async list(page: { limit: number; cursor?: string | undefined }, cursors?: CursorCodec) {
      const read = async (p: { limit: number; cursor?: string | undefined }) => {
        const result = await withCursor(p.cursor, () => db.entities.outboxMessage.query.byTime({}).go({ order: 'desc', limit: p.limit, cursor: p.cursor ?? null }));
        return { items: result.data.map(({ expiresAt: _expiresAt, ...message }) => message), ...(result.cursor ? { nextCursor: result.cursor } : {}) };
      };
      return cursors ? sealedPage(cursors, 'outbox', page, read) : read(page);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
