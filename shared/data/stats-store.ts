import type { DbOf } from './db.ts';
import { dailyStatsEntity } from './entities/cases.ts';

export const STATS_ENTITIES = { dailyStats: dailyStatsEntity };

/** Reads one scope's daily counter items between two local days: one Query (sort key between). */
export function createStatsReader(db: DbOf<typeof STATS_ENTITIES>) {
  return async (scope: string, from: string, to: string) => {
    const { data } = await db.entities.dailyStats.query.byScope({ scope }).between({ day: from }, { day: to }).go({ pages: 'all' });
    return data;
  };
}
