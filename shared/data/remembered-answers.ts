import { IDEMPOTENCY_TTL_SECONDS, type AnswerMemory } from '#shared/domain/cases/idempotency';
import { isConditionFailure } from './conditions.ts';
import { rememberedAnswerModel } from './entities/duty.ts';
import { get, send, write, type Table } from './operations.ts';

/**
 * Idempotency-Key answers of the duty routes (`rememberedAnswer` items, TTL 24 h): the first success
 * under a key stays (created only if none exists); reads are strongly consistent.
 */
export function createAnswerMemory(table: Table, now: () => Date = () => new Date()): AnswerMemory {
  return {
    async recall({ callerId, scope, key }) {
      const item = await get(table, rememberedAnswerModel, { callerId, scope, key }, { consistent: true });
      if (!item || item.expiresAt <= Math.floor(now().getTime() / 1000)) return undefined;
      return { bodyHash: item.bodyHash, status: item.status, body: JSON.parse(item.body) as unknown };
    },
    async remember(claim, answer) {
      const expiresAt = Math.floor(now().getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS;
      try {
        await send(table, write.put(table, rememberedAnswerModel, { ...claim, status: answer.status, body: JSON.stringify(answer.body), expiresAt }, { create: true }));
      } catch (error) {
        // A duplicate sent at the same moment remembered its answer first: the first one stays.
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}
