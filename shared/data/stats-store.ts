import type { Db } from './db.ts';

/** Reads one scope's daily counter items between two local days: one Query (sort key between). */
export function createStatsReader(db: Db) {
  return async (scope: string, from: string, to: string) => {
    const { data } = await db.entities.dailyStats.query.byScope({ scope }).between({ day: from }, { day: to }).go({ pages: 'all' });
    return data;
  };
}
