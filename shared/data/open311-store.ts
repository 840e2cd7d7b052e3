import type { Case } from '#shared/domain/cases/model';
import type { ApiKeyStore } from '#shared/domain/open311/api-keys';
import type { Open311CaseReader } from '#shared/domain/open311/use-cases';
import { reportedMonthOf, toCase } from './case-store.ts';
import { isConditionFailure } from './conditions.ts';
import type { DbOf } from './db.ts';
import { caseEntity } from './entities/cases.ts';
import { rateCounterEntity } from './entities/identity.ts';
import { apiKeyEntity } from './entities/open311.ts';

export const OPEN311_READER_ENTITIES = { case: caseEntity };
export const API_KEY_ENTITIES = { apiKey: apiKeyEntity, rateCounter: rateCounterEntity };

const PAGE = 250;

/** The UTC months from `to` back to `from` (`2026-05`, `2026-04`, …): the partitions of a date window. */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  const cursor = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1));
  const first = reportedMonthOf(from.toISOString());
  for (let month = reportedMonthOf(cursor.toISOString()); month >= first; ) {
    months.push(month);
    cursor.setUTCMonth(cursor.getUTCMonth() - 1);
    month = reportedMonthOf(cursor.toISOString());
  }
  return months;
}

/** Open311's reads of cases: by id, by number, and by the time they were reported (gsi6, no Scan). */
export function createOpen311Reader(db: DbOf<typeof OPEN311_READER_ENTITIES>): Open311CaseReader {
  const entities = db.entities; // built at first use (see getDb)
  return {
    async getCase(id) {
      const { data } = await entities.case.get({ caseId: id }).go();
      return data ? toCase(data) : undefined;
    },

    /** A case by its number: one Query of the case-number index (gsi4; filed cases only). */
    async caseByNumber(caseNumber) {
      if (!/^\d{4}-\d{6}$/.test(caseNumber)) return undefined;
      const { data } = await entities.case.query.byNumber({ caseNumber }).go({ limit: 1 });
      return data[0] ? toCase(data[0]) : undefined;
    },

    async *reportedBetween(from, to) {
      const [start, end] = [from.toISOString(), to.toISOString()];
      for (const reportedMonth of monthsBetween(from, to)) {
        let cursor: string | null = null;
        do {
          const page: { data: Parameters<typeof toCase>[0][]; cursor: string | null } = await entities.case.query
            .byReported({ reportedMonth })
            .between({ createdAt: start }, { createdAt: `${end}\uffff` })
            .go({ order: 'desc', limit: PAGE, cursor });
          yield page.data.map((item) => toCase(item) as Case);
          cursor = page.cursor;
        } while (cursor);
      }
    },
  };
}

/** API keys and their per-minute request counters on the single table. */
export function createApiKeyStore(db: DbOf<typeof API_KEY_ENTITIES>): ApiKeyStore {
  const entities = db.entities; // built at first use (see getDb)
  const toRecord = (item: { keyId: string; name: string; secretHash: string; createdAt: string; createdBy: string }) => ({
    id: item.keyId,
    name: item.name,
    secretHash: item.secretHash,
    createdAt: item.createdAt,
    createdBy: item.createdBy,
  });
  return {
    async create(record) {
      try {
        await entities.apiKey.create({ keyId: record.id, name: record.name, secretHash: record.secretHash, createdAt: record.createdAt, createdBy: record.createdBy }).go();
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async put(record) {
      await entities.apiKey.put({ keyId: record.id, name: record.name, secretHash: record.secretHash, createdAt: record.createdAt, createdBy: record.createdBy }).go();
    },
    async get(id) {
      const { data } = await entities.apiKey.get({ keyId: id }).go();
      return data ? toRecord(data) : undefined;
    },
    async remove(id) {
      try {
        await entities.apiKey.delete({ keyId: id }).where((a, { exists }) => exists(a.secretHash)).go();
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async countRequest(id, minute, limit) {
      try {
        await entities.rateCounter
          .update({ scope: 'api-key', key: id, window: minute })
          .add({ count: 1 })
          .set({ expiresAt: minute + 120 })
          .where((a, { notExists, lt }) => `${notExists(a.count)} OR ${lt(a.count, limit)}`)
          .go();
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
