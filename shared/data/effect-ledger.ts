import type { EffectLedger } from '#shared/domain/events/use-cases';
import { isConditionFailure } from './conditions.ts';
import { effectModel } from './entities/effect.ts';
import { get, send, write, type Table } from './operations.ts';

const KEEP_SECONDS = 7 * 24 * 3600;
/**
 * Longer than the processor's timeout (30 s), so a live holder is never overtaken; short enough that a
 * redelivery after a crash waits it out within one invocation or two (shared/domain/events/use-cases.ts).
 */
export const LEASE_MS = 40_000;

/** The event processor's ledger of effects on the single table (conditional writes: claim, take over, done). */
export function createEffectLedger(table: Table, now: () => Date = () => new Date()): EffectLedger {
  return {
    async claim(key) {
      const at = now();
      const item = { key, state: 'pending' as const, leaseUntil: at.getTime() + LEASE_MS, at: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + KEEP_SECONDS };
      try {
        await send(table, write.put(table, effectModel, item, { create: true }));
        return 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      // Someone claimed it: done, still theirs, or abandoned (lease over) — then take it over, atomically.
      try {
        await send(
          table,
          write.update(table, effectModel, { key }, { set: { leaseUntil: item.leaseUntil, at: item.at }, mustExist: true, if: (x) => `${x.eq('state', 'pending')} AND ${x.lt('leaseUntil', at.getTime())}` }),
        );
        return 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const stored = await get(table, effectModel, { key }, { consistent: true });
      return stored?.state === 'done' ? 'done' : 'busy';
    },
    async complete(key) {
      await send(table, write.update(table, effectModel, { key }, { set: { state: 'done' }, mustExist: true }));
    },
    async release(key) {
      await send(table, write.delete(table, effectModel, { key }));
    },
  };
}
