import { localDay } from '#shared/domain/cases/counters';
import type { DutySpan, DutyStore, RosterEntry, TrackPoint } from '#shared/domain/duty/model';
import { isConditionFailure, withConflictRetry } from './conditions.ts';
import { dailyStatsModel } from './entities/cases.ts';
import { dutySpanModel, onDutyModel, trackPointModel } from './entities/duty.ts';
import { get, putMany, query, send, transact, write, type Expr, type Table } from './operations.ts';

/** Days a track point or duty span is kept by default (TRACK_RETENTION_DAYS). */
export const DEFAULT_TRACK_RETENTION_DAYS = 90;

/**
 * 考勤 · 轨迹 on the single table (entities in ./entities/duty.ts): the on-duty roster, duty spans and
 * track points. Spans and points carry the table's TTL attribute: their time + `retentionDays`.
 */
export function createDutyStore(table: Table, options: { retentionDays?: number } = {}): DutyStore {
  const retention = (options.retentionDays ?? DEFAULT_TRACK_RETENTION_DAYS) * 86_400;
  const expiresAt = (at: string) => Math.floor(Date.parse(at) / 1000) + retention;
  const toSpan = (item: { userId: string; start: string; end?: string | undefined; startLocation: DutySpan['startLocation']; endLocation?: DutySpan['endLocation'] }): DutySpan => ({
    userId: item.userId,
    start: item.start,
    ...(item.end ? { end: item.end } : {}),
    startLocation: item.startLocation,
    ...(item.endLocation ? { endLocation: item.endLocation } : {}),
  });
  // DynamoDB deletes expired items lazily (within days): readers leave them out themselves.
  const unexpired = (x: Expr) => x.gt('expiresAt', Math.floor(Date.now() / 1000));
  const toEntry = ({ lastPointAt: _, ...entry }: RosterEntry & { lastPointAt: string }): RosterEntry => entry;

  return {
    async rosterEntry(userId) {
      const item = await get(table, onDutyModel, { userId }, { consistent: true });
      return item ? toEntry(item) : undefined;
    },

    async lastSpan(userId) {
      const { items } = await query(table, dutySpanModel, 'byUser', { userId }, { order: 'desc', limit: 1, consistent: true });
      return items[0] ? toSpan(items[0]) : undefined;
    },

    async startDuty(entry, span) {
      const result = await withConflictRetry(() =>
        transact(table, [
          ['roster', write.put(table, onDutyModel, { ...entry, lastPointAt: entry.lastPoint.at }, { create: true })],
          ['span', write.put(table, dutySpanModel, { ...span, expiresAt: expiresAt(span.start) }, { create: true })],
        ]),
      );
      return !result.canceled;
    },

    async endDuty(span, counters) {
      const result = await withConflictRetry(() =>
        transact(table, [
          ['span', write.update(table, dutySpanModel, { userId: span.userId, start: span.start }, { set: { end: span.end, endLocation: span.endLocation, expiresAt: expiresAt(span.end) }, mustExist: true, if: (x) => x.notExists('end') })],
          ['roster', write.delete(table, onDutyModel, { userId: span.userId }, { if: (x) => x.eq('since', span.start) })],
          ...counters.map((c) => ['counter' as const, write.update(table, dailyStatsModel, { scope: c.scope, day: c.day }, { add: c.add })] as const),
        ]),
      );
      return !result.canceled;
    },

    async spansOverlapping(userId, from, to) {
      // Spans starting by `to`, newest first; those that ended before `from` are filtered out. A person's
      // spans of the retention period fit one page, so this is one Query.
      const { items } = await query(table, dutySpanModel, 'byUser', { userId }, {
        between: [{ start: '' }, { start: to }],
        order: 'desc',
        filter: (x) => `(${x.notExists('end')} OR ${x.name('end')} >= ${x.value(from)}) AND ${unexpired(x)}`,
        all: true,
      });
      return items.map(toSpan);
    },

    async putPoints(points: TrackPoint[]) {
      await putMany(table, trackPointModel, points.map((p) => ({ ...p, day: localDay(new Date(p.at)), expiresAt: expiresAt(p.at) })));
    },

    async moveLastPoint(userId, point) {
      try {
        await send(table, write.update(table, onDutyModel, { userId }, { set: { lastPoint: point, lastPointAt: point.at }, mustExist: true, if: (x) => `${x.lte('since', point.at)} AND ${x.lt('lastPointAt', point.at)}` }));
      } catch (error) {
        // Off duty meanwhile, or a newer point is there already: nothing to move.
        if (!isConditionFailure(error)) throw error;
      }
    },

    async roster() {
      return (await query(table, onDutyModel, 'roster', {}, { all: true })).items.map(toEntry);
    },

    async pointsOfDay(userId, day) {
      const { items } = await query(table, trackPointModel, 'byUserDay', { userId, day }, { all: true, filter: unexpired });
      return items.map((p) => ({ userId: p.userId, at: p.at, lat: p.lat, lng: p.lng, ...(p.accuracyMetres !== undefined ? { accuracyMetres: p.accuracyMetres } : {}) }));
    },

    async allSpans(userId) {
      return (await query(table, dutySpanModel, 'byUser', { userId }, { all: true, filter: unexpired })).items.map(toSpan);
    },
  };
}
