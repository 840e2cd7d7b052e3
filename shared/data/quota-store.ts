import type { QuotaCounter } from '#shared/domain/quotas';
import { throwIfOnlyConflicts, withConflictRetry } from './conditions.ts';
import type { DbOf } from './db.ts';
import { rateCounterEntity } from './entities/identity.ts';

export const QUOTA_ENTITIES = { rateCounter: rateCounterEntity };

/**
 * Quota counters as conditional increments on `rateCounter` items (one per kind, user and window, with
 * a TTL of two windows): concurrent requests cannot overshoot a limit, nothing is held in memory, and a
 * refused request increments nothing (all windows in one transaction).
 */
export function createQuotaCounter(db: DbOf<typeof QUOTA_ENTITIES>): QuotaCounter {
  return {
    async take(kind, userId, windows) {
      const result = await withConflictRetry(() =>
        db.transaction
          .write(({ rateCounter }) =>
            windows.map((w) =>
              rateCounter
                .update({ scope: `quota-${kind}-${w.window}`, key: userId, window: w.start })
                .add({ count: 1 })
                .set({ expiresAt: w.start + 2 * (w.window === 'day' ? 86_400 : 3600) })
                .where((a, { notExists, lt }) => `${notExists(a.count)} OR ${lt(a.count, w.max)}`)
                .commit(),
            ),
          )
          .go(),
      );
      if (!result.canceled) return [];
      throwIfOnlyConflicts(result);
      const codes = (result.data as Array<{ code?: string }>).map((d) => d.code);
      const full = codes.flatMap((code, i) => (code === 'ConditionalCheckFailed' ? [i] : []));
      if (full.length === 0) throw new Error(`Quota transaction cancelled without a failed condition: ${JSON.stringify(codes)}`);
      return full;
    },
  };
}
