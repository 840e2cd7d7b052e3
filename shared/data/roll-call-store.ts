import type { RollCall, RollCallStore } from '#shared/domain/duty/roll-calls';
import { describeCancellation, failedWrites, throwIfOnlyConflicts, withConflictRetry } from './conditions.ts';
import { dailyStatsModel } from './entities/cases.ts';
import { currentRollCallModel, rollCallModel } from './entities/duty.ts';
import { get, transact, write, type Table } from './operations.ts';
import { DEFAULT_TRACK_RETENTION_DAYS } from './duty-store.ts';

/**
 * 点名 on the single table (entities in ./entities/duty.ts): a `rollCall` item per person and id, and the
 * person's `currentRollCall` (a copy of the latest with `answered`), which makes "one open per person"
 * one condition and "my open roll calls" one GetItem. Roll calls carry the table's TTL: sent + the
 * track retention (TRACK_RETENTION_DAYS); the counters stay with the other statistics.
 */
export function createRollCallStore(table: Table, options: { retentionDays?: number } = {}): RollCallStore {
  const retention = (options.retentionDays ?? DEFAULT_TRACK_RETENTION_DAYS) * 86_400;
  const expiresAt = (at: string) => Math.floor(Date.parse(at) / 1000) + retention;
  const unexpired = (item: { expiresAt: number }) => item.expiresAt > Math.floor(Date.now() / 1000);
  const toRollCall = (item: Omit<RollCall, 'answer'> & { answer?: RollCall['answer']; expiresAt: number }): RollCall => ({
    id: item.id,
    staffId: item.staffId,
    sentBy: item.sentBy,
    sentAt: item.sentAt,
    dueAt: item.dueAt,
    openUntil: item.openUntil,
    ...(item.note !== undefined ? { note: item.note } : {}),
    ...(item.answer ? { answer: item.answer } : {}),
  });

  return {
    async create(rollCall, counters, now) {
      const { answer: _, ...unanswered } = rollCall;
      const result = await withConflictRetry(() =>
        transact(table, [
          ['rollCall', write.put(table, rollCallModel, { ...unanswered, expiresAt: expiresAt(rollCall.sentAt) }, { create: true })],
          [
            'current',
            write.put(table, currentRollCallModel, { ...unanswered, answered: false, expiresAt: expiresAt(rollCall.sentAt) }, {
              if: (x) => `${x.notExists('pk')} OR ${x.eq('answered', true)} OR ${x.lte('openUntil', now)}`,
            }),
          ],
          ...counters.map((c) => ['counter' as const, write.update(table, dailyStatsModel, { scope: c.scope, day: c.day }, { add: c.add })] as const),
        ]),
      );
      if (!result.canceled) return 'created';
      if (failedWrites(result).has('current')) return 'open';
      throwIfOnlyConflicts(result);
      throw new Error(`Roll call not written: ${describeCancellation(result)}`);
    },

    async get(staffId, id) {
      const item = await get(table, rollCallModel, { staffId, id }, { consistent: true });
      return item && unexpired(item) ? toRollCall(item) : undefined;
    },

    async latest(staffId) {
      const item = await get(table, currentRollCallModel, { staffId }, { consistent: true });
      if (!item || !unexpired(item)) return undefined;
      const { answered, ...rest } = item;
      // The copy knows only whether it was answered; the answer itself is on the roll call.
      return answered ? ((await this.get(staffId, item.id)) ?? toRollCall(rest)) : toRollCall(rest);
    },

    async answer(rollCall, counters) {
      const writes = (withCurrent: boolean) =>
        transact(table, [
          ['rollCall', write.update(table, rollCallModel, { staffId: rollCall.staffId, id: rollCall.id }, { set: { answer: rollCall.answer }, mustExist: true, if: (x) => x.notExists('answer') })],
          ...(withCurrent ? [['current' as const, write.update(table, currentRollCallModel, { staffId: rollCall.staffId }, { set: { answered: true }, mustExist: true, if: (x) => x.eq('id', rollCall.id) })] as const] : []),
          ...counters.map((c) => ['counter' as const, write.update(table, dailyStatsModel, { scope: c.scope, day: c.day }, { add: c.add })] as const),
        ]);
      let result = await withConflictRetry(() => writes(true));
      // The person's current roll call is a newer one (this one closed meanwhile): answer this one alone.
      if (result.canceled && failedWrites(result).has('current') && !failedWrites(result).has('rollCall')) result = await withConflictRetry(() => writes(false));
      if (!result.canceled) return 'answered';
      if (failedWrites(result).has('rollCall')) return 'already';
      throwIfOnlyConflicts(result);
      throw new Error(`Roll call answer not written: ${describeCancellation(result)}`);
    },
  };
}

/**
 * The task list's reader of open roll calls (我的任务: a `roll-call` item): the person's current roll
 * call while unanswered and open — one GetItem, without the roll calls' use cases in the bundle.
 */
export function openRollCallsReader(table: Table, now: () => Date = () => new Date()) {
  return {
    async open(staffId: string) {
      const item = await get(table, currentRollCallModel, { staffId }, { consistent: true });
      if (!item || item.answered || Date.parse(item.openUntil) <= now().getTime()) return [];
      return [{ id: item.id, sentAt: item.sentAt, dueAt: item.dueAt, ...(item.note !== undefined ? { note: item.note } : {}) }];
    },
  };
}
