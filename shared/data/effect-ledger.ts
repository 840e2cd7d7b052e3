import { randomUUID } from 'node:crypto';
import type { CounterDelta } from '#shared/domain/cases/ports';
import type { EffectLedger } from '#shared/domain/events/use-cases';
import { describeCancellation, failedWrites, isConditionFailure, withConflictRetry } from './conditions.ts';
import { dailyStatsModel } from './entities/cases.ts';
import { effectModel } from './entities/effect.ts';
import { get, send, transact, write, type Table } from './operations.ts';

const KEEP_SECONDS = 7 * 24 * 3600;
/**
 * Longer than the processor's timeout (30 s), so a live holder is never overtaken; short enough that a
 * redelivery after a crash waits it out within one invocation or two (shared/domain/events/use-cases.ts).
 */
export const LEASE_MS = 40_000;

export interface EffectLedgerOptions {
  /** Who takes the leases (one per process or Lambda container; stored with each lease). */
  owner?: string;
  /**
   * This process is the table's only event processor (the local platform: one per table). A lease held
   * by another owner was then left by a process that ended (`kill -9`, a crash) and is taken over at
   * once instead of after its `LEASE_MS`. Never in the cloud, where containers run side by side.
   */
  exclusive?: boolean;
}

/** The owner of this process's leases unless one is given. */
export const PROCESS_OWNER = `${process.pid}-${randomUUID()}`;

/** The event processor's ledger of effects on the single table (conditional writes: claim, take over, done). */
export function createEffectLedger(table: Table, now: () => Date = () => new Date(), options: EffectLedgerOptions = {}): EffectLedger {
  const owner = options.owner ?? PROCESS_OWNER;
  return {
    async claim(key) {
      const at = now();
      const item = { key, state: 'pending' as const, leaseUntil: at.getTime() + LEASE_MS, owner, at: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + KEEP_SECONDS };
      try {
        await send(table, write.put(table, effectModel, item, { create: true }));
        return 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      // Someone claimed it: done, still theirs, or abandoned (lease over; exclusive: another owner's) —
      // then take it over, atomically.
      try {
        await send(
          table,
          write.update(table, effectModel, { key }, {
            set: { leaseUntil: item.leaseUntil, owner, at: item.at },
            mustExist: true,
            if: (x) => {
              const abandoned = options.exclusive ? `(${x.lt('leaseUntil', at.getTime())} OR ${x.notExists('owner')} OR ${x.ne('owner', owner)})` : x.lt('leaseUntil', at.getTime());
              return `${x.eq('state', 'pending')} AND ${abandoned}`;
            },
          }),
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

/**
 * Counter updates made by the event processor exactly once per key: the key's ledger record (created
 * `done`) and the counters in ONE transaction, so a redelivery finds the record and adds nothing; a
 * crash leaves either both or neither (no lease needed). False when the key was counted already.
 */
export function createOnceCounter(table: Table, now: () => Date = () => new Date()) {
  return async (key: string, counters: CounterDelta[]): Promise<boolean> => {
    const at = now();
    const result = await withConflictRetry(() =>
      transact(table, [
        ['effect', write.put(table, effectModel, { key, state: 'done', leaseUntil: 0, at: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + KEEP_SECONDS }, { create: true })],
        ...counters.map((c) => ['counter' as const, write.update(table, dailyStatsModel, { scope: c.scope, day: c.day }, { add: c.add })] as const),
      ]),
    );
    if (!result.canceled) return true;
    if (failedWrites(result).has('effect')) return false;
    throw new Error(`Counting ${key} failed: ${describeCancellation(result)}`);
  };
}
