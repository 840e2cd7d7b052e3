import type { EffectLedger } from '#shared/domain/events/use-cases';
import { isConditionFailure } from './conditions.ts';
import type { DbOf } from './db.ts';
import { effectEntity } from './entities/effect.ts';

export const EFFECT_ENTITIES = { effect: effectEntity };

const KEEP_SECONDS = 7 * 24 * 3600;
/**
 * Longer than the processor's timeout (30 s), so a live holder is never overtaken; short enough that a
 * redelivery after a crash waits it out within one invocation or two (shared/domain/events/use-cases.ts).
 */
export const LEASE_MS = 40_000;

/** The event processor's ledger of effects on the single table (conditional writes: claim, take over, done). */
export function createEffectLedger(db: DbOf<typeof EFFECT_ENTITIES>, now: () => Date = () => new Date()): EffectLedger {
  const entities = db.entities; // built at first use (see getDb)
  return {
    async claim(key) {
      const at = now();
      const item = { key, state: 'pending' as const, leaseUntil: at.getTime() + LEASE_MS, at: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + KEEP_SECONDS };
      try {
        await entities.effect.create(item).go();
        return 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      // Someone claimed it: done, still theirs, or abandoned (lease over) — then take it over, atomically.
      try {
        await entities.effect
          .patch({ key })
          .set({ leaseUntil: item.leaseUntil, at: item.at })
          .where((a, { eq, lt }) => `${eq(a.state, 'pending')} AND ${lt(a.leaseUntil, at.getTime())}`)
          .go();
        return 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const { data } = await entities.effect.get({ key }).go({ consistent: true });
      return data?.state === 'done' ? 'done' : 'busy';
    },
    async complete(key) {
      await entities.effect.patch({ key }).set({ state: 'done' }).go();
    },
    async release(key) {
      await entities.effect.delete({ key }).go();
    },
  };
}
