import type { EffectLedger } from '#shared/domain/events/use-cases';
import { isConditionFailure } from './conditions.ts';
import type { Db } from './db.ts';

const KEEP_SECONDS = 7 * 24 * 3600;

/** The event processor's ledger of effects done, on the single table (conditional create = claim). */
export function createEffectLedger(db: Db, now: () => Date = () => new Date()): EffectLedger {
  return {
    async claim(key) {
      const at = now();
      try {
        await db.entities.effect.create({ key, at: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + KEEP_SECONDS }).go();
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async release(key) {
      await db.entities.effect.delete({ key }).go();
    },
  };
}
