import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { LiveStore } from '#shared/domain/live/use-cases';
import { liveIdFloor, liveIdTime } from '#shared/domain/live/messages';
import { isConditionFailure } from './conditions.ts';
import { liveConnectionModel, liveMessageModel, liveTicketModel } from './entities/live.ts';
import type { ItemOf } from './model.ts';
import { query, send, write, type Table } from './operations.ts';

const HOUR_MS = 3600_000;
/** The hour partition of an instant. */
export const hourOf = (ms: number) => new Date(ms).toISOString().slice(0, 13);

/** The live channel on the single table (entities in ./entities/live.ts): tickets, connections, messages. */
export function createLiveStore(table: Table): LiveStore {
  return {
    async putTicket(ticket) {
      await send(table, write.put(table, liveTicketModel, ticket, { create: true }));
    },

    async takeTicket(ticket, nowSeconds) {
      // One conditional delete: of two sockets opened with the same ticket, only one gets it back.
      const { Delete } = write.delete(table, liveTicketModel, { ticket }, { if: (x) => x.gt('expiresAt', nowSeconds) }) as { Delete: ConstructorParameters<typeof DeleteCommand>[0] };
      try {
        const { Attributes } = await table.client.send(new DeleteCommand({ ...Delete, ReturnValues: 'ALL_OLD' }));
        if (!Attributes) return undefined;
        return { ticket, userId: String(Attributes.userId), sessionId: String(Attributes.sessionId), expiresAt: Number(Attributes.expiresAt) };
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async putConnection(connection) {
      await send(table, write.put(table, liveConnectionModel, connection));
    },

    async deleteConnection(connectionId) {
      await send(table, write.delete(table, liveConnectionModel, { connectionId }));
    },

    async connections() {
      return (await query(table, liveConnectionModel, 'roster', {}, { all: true })).items;
    },

    async putMessage(message, expiresAt) {
      await send(table, write.put(table, liveMessageModel, { ...message, hour: hourOf(liveIdTime(message.id)), expiresAt }));
    },

    async messagesFrom(fromMs, toMs, limit) {
      const found: Array<ItemOf<typeof liveMessageModel>> = [];
      const [lower, upper] = [liveIdFloor(fromMs), liveIdFloor(toMs + 1)];
      // One Query per hour partition from `fromMs`'s hour to `toMs`'s (one or two for `missed`'s hour).
      for (let hour = Math.floor(fromMs / HOUR_MS) * HOUR_MS; hour <= toMs && found.length < limit; hour += HOUR_MS) {
        const { items } = await query(table, liveMessageModel, 'byHour', { hour: hourOf(hour) }, { between: [{ id: lower }, { id: upper }], limit: limit - found.length });
        found.push(...items);
      }
      return found.map(({ hour: _h, expiresAt: _e, ...message }) => message);
    },
  };
}
