import { QUOTA_KINDS, windowStart, type QuotaCounter } from '#shared/domain/quotas';
import { notCancelled, throwIfAccountCancelled } from './accounts.ts';
import { describeCancellation, failedWrites, throwIfOnlyConflicts, withConflictRetry } from './conditions.ts';
import { rateCounterModel } from './entities/identity.ts';
import { send, transact, write, type Table } from './operations.ts';

/**
 * Quota counters as conditional increments on `rateCounter` items (one per kind, user and window, with
 * a TTL of two windows): concurrent requests cannot overshoot a limit, nothing is held in memory, and a
 * refused request increments nothing (all windows in one transaction).
 */
export function createQuotaCounter(table: Table): QuotaCounter {
  return {
    async take(kind, userId, windows) {
      const result = await withConflictRetry(() =>
        transact(table, [
          // Counted only for an account not cancelled: a cancelled one leaves no counter naming it.
          notCancelled(table, userId),
          // Named by position: the caller is told which windows are full.
          ...windows.map((w, i) => [
            String(i),
            write.update(table, rateCounterModel, { scope: `quota-${kind}-${w.window}`, key: userId, window: w.start }, {
              add: { count: 1 },
              set: { expiresAt: w.start + 2 * (w.window === 'day' ? 86_400 : 3600) },
              if: (x) => `${x.notExists('count')} OR ${x.lt('count', w.max)}`,
            }),
          ] as const),
        ]),
      );
      if (!result.canceled) return [];
      throwIfAccountCancelled(failedWrites(result));
      throwIfOnlyConflicts(result);
      const full = windows.flatMap((_, i) => (result.codes[String(i)] === 'ConditionalCheckFailed' ? [i] : []));
      if (full.length === 0) throw new Error(`Quota transaction cancelled without a failed condition: ${describeCancellation(result)}`);
      return full;
    },

    async forget(userId, at) {
      // A counter lives two windows (its TTL): the current and the previous window of each kind may hold one.
      for (const kind of QUOTA_KINDS) {
        for (const window of ['hour', 'day'] as const) {
          const { start } = windowStart(window, at);
          const length = window === 'day' ? 86_400 : 3600;
          for (const from of [start, start - length]) await send(table, write.delete(table, rateCounterModel, { scope: `quota-${kind}-${window}`, key: userId, window: from }));
        }
      }
    },
  };
}
