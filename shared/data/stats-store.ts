import { dailyStatsModel } from './entities/cases.ts';
import { query, type Table } from './operations.ts';

/** Reads one scope's daily counter items between two local days: one Query (sort key between). */
export function createStatsReader(table: Table) {
  return async (scope: string, from: string, to: string) =>
    (await query(table, dailyStatsModel, 'byScope', { scope }, { between: [{ day: from }, { day: to }], all: true })).items;
}
