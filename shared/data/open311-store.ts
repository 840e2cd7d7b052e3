import type { Case } from '#shared/domain/cases/model';
import type { ApiKeyStore } from '#shared/domain/open311/api-keys';
import type { Open311CaseReader } from '#shared/domain/open311/use-cases';
import { reportedMonthOf, toCase } from './case-store.ts';
import { transactAudited } from './audit-store.ts';
import { isConditionFailure } from './conditions.ts';
import { caseModel } from './entities/cases.ts';
import { rateCounterModel } from './entities/identity.ts';
import { apiKeyModel } from './entities/open311.ts';
import { get, query, send, write, type Table } from './operations.ts';


const PAGE = 250;

/** The UTC months from `to` back to `from` (`2026-05`, `2026-04`, …): the partitions of a date window. */
export function monthsBetween(from: Date, to: Date): string[] {
  // The list's window is at most 90 days: four months at most, whatever reaches this.
  if (to.getTime() - from.getTime() > 92 * 86_400_000) throw new Error('A reporting window longer than 92 days');
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
export function createOpen311Reader(table: Table): Open311CaseReader {
  return {
    async getCase(id) {
      const item = await get(table, caseModel, { caseId: id });
      return item ? toCase(item) : undefined;
    },

    /** A case by its number: one Query of the case-number index (gsi4; filed cases only). */
    async caseByNumber(caseNumber) {
      if (!/^\d{4}-\d{6}$/.test(caseNumber)) return undefined;
      const { items } = await query(table, caseModel, 'byNumber', { caseNumber }, { limit: 1 });
      return items[0] ? toCase(items[0]) : undefined;
    },

    async *reportedBetween(from, to) {
      // The end covers its whole second: a listed requested_datetime has whole seconds, and a client
      // pages back with the oldest one it received (the cases of that second come again, not never).
      const [start, end] = [from.toISOString(), to.toISOString().slice(0, 19)];
      for (const reportedMonth of monthsBetween(from, to)) {
        let cursor: string | undefined;
        do {
          const page = await query(table, caseModel, 'byReported', { reportedMonth }, { between: [{ createdAt: start }, { createdAt: `${end}\uffff` }], order: 'desc', limit: PAGE, cursor });
          yield page.items.map((item): Case => toCase(item));
          cursor = page.cursor;
        } while (cursor);
      }
    },
  };
}

/** API keys and their per-minute request counters on the single table. */
export function createApiKeyStore(table: Table): ApiKeyStore {
  const toRecord = (item: { keyId: string; name: string; secretHash: string; createdAt: string; createdBy: string }) => ({
    id: item.keyId,
    name: item.name,
    secretHash: item.secretHash,
    createdAt: item.createdAt,
    createdBy: item.createdBy,
  });
  return {
    async create(record, audit) {
      try {
        const put = write.put(table, apiKeyModel, { keyId: record.id, name: record.name, secretHash: record.secretHash, createdAt: record.createdAt, createdBy: record.createdBy }, { create: true });
        if (!audit) {
          await send(table, put);
          return true;
        }
        const result = await transactAudited(table, [['key', put]], audit);
        return !result.canceled;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async put(record) {
      await send(table, write.put(table, apiKeyModel, { keyId: record.id, name: record.name, secretHash: record.secretHash, createdAt: record.createdAt, createdBy: record.createdBy }));
    },
    async get(id) {
      const item = await get(table, apiKeyModel, { keyId: id });
      return item ? toRecord(item) : undefined;
    },
    async remove(id, audit) {
      try {
        const removal = write.delete(table, apiKeyModel, { keyId: id }, { if: (x) => x.exists('secretHash') });
        if (!audit) {
          await send(table, removal);
          return true;
        }
        const result = await transactAudited(table, [['key', removal]], audit, { model: apiKeyModel, key: { keyId: id } });
        return !result.canceled;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async list() {
      const { items } = await query(table, apiKeyModel, 'listing', {}, { all: true });
      return items.map(toRecord);
    },
    async countRequest(id, minute, limit) {
      try {
        await send(
          table,
          write.update(table, rateCounterModel, { scope: 'api-key', key: id, window: minute }, { add: { count: 1 }, set: { expiresAt: minute + 120 }, if: (x) => `${x.notExists('count')} OR ${x.lt('count', limit)}` }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
