import type { Case, CaseEvent } from '#shared/domain/cases/model';
import type { CaseStore, CounterDelta } from '#shared/domain/cases/ports';
import { onlyConflicts, withConflictRetry } from './conditions.ts';
import type { Db } from './db.ts';

type TransactionEntities = Parameters<Parameters<Db['transaction']['write']>[0]>[0];

const NO_REPORTER = '-';

const toItem = (c: Case) => {
  const { id, ...rest } = c;
  return {
    ...rest,
    caseId: id,
    reporterKey: c.reporterId ?? NO_REPORTER,
    assignedDepartmentId: c.assignment?.departmentId ?? '-',
  };
};

type CaseItem = Awaited<ReturnType<ReturnType<Db['entities']['case']['get']>['go']>>['data'];

const toCase = (item: NonNullable<CaseItem>): Case => {
  const { caseId, reporterKey: _r, assignedDepartmentId: _a, ...rest } = item;
  return { ...rest, id: caseId } as Case;
};

/** Per-item cancellation codes of a transaction (ElectroDB types them as a tuple of the writes). */
const codesOf = (result: { data: unknown }) => (result.data as Array<{ code?: string }>).map((d) => d.code);

const toEvent = (item: Record<string, unknown>): CaseEvent => item as unknown as CaseEvent;

/** The case store on the single table (see `shared/data/entities/cases.ts` for keys and indexes). */
export function createCaseStore(db: Db): CaseStore {
  const { case: cases, caseSequence } = db.entities;

  const counterWrites = (e: TransactionEntities, counters: CounterDelta[]) =>
    counters.map((c) => e.dailyStats.update({ scope: c.scope, day: c.day }).add(c.add).commit());

  const page = async <T>(run: Promise<{ data: T[]; cursor: string | null }>) => {
    const { data, cursor } = await run;
    return { items: data, ...(cursor ? { nextCursor: cursor } : {}) };
  };

  return {
    async createCase({ case: c, event, counters, idempotency }) {
      const result = await withConflictRetry(() =>
        db.transaction
          .write((e) => [
            ...(idempotency
              ? [e.idempotency.create({ ...idempotency, caseId: c.id, expiresAt: Math.floor(Date.parse(c.createdAt) / 1000) + 24 * 3600 }).commit()]
              : []),
            e.case.create(toItem(c)).commit(),
            e.caseEvent.create(event).commit(),
            ...counterWrites(e, counters),
          ])
          .go(),
      );
      if (!result.canceled) return { created: true };
      if (idempotency && codesOf(result)[0] === 'ConditionalCheckFailed') {
        const { data } = await db.entities.idempotency.get({ callerId: idempotency.callerId, key: idempotency.key }).go({ consistent: true });
        if (data) return { created: false, existing: { caseId: data.caseId, bodyHash: data.bodyHash } };
      }
      throw new Error(`Case creation cancelled: ${codesOf(result).join(',')}`);
    },

    async getCase(id) {
      const { data } = await cases.get({ caseId: id }).go({ consistent: true });
      return data ? toCase(data) : undefined;
    },

    async getCaseWithTimeline(id) {
      const { data } = await db.collections.caseDetail({ caseId: id }).go({ pages: 'all', consistent: true });
      const item = data.case[0];
      if (!item) return undefined;
      const timeline = data.caseEvent.map((e) => toEvent(e)).sort((a, b) => a.seq - b.seq);
      return { case: toCase(item), timeline };
    },

    async applyTransition({ expectedVersion, next, event, counters }) {
      const result = await withConflictRetry(() =>
        db.transaction
          .write((e) => [
            e.case
              .put(toItem(next))
              .where((a, { eq }) => eq(a.version, expectedVersion))
              .commit(),
            e.caseEvent.create(event).commit(),
            ...counterWrites(e, counters),
          ])
          .go(),
      );
      if (!result.canceled) return true;
      // A failed version condition is a lost race; so is contention that outlasted the retries.
      if (result.data[0]?.code === 'ConditionalCheckFailed' || result.data[1]?.code === 'ConditionalCheckFailed' || onlyConflicts(result)) return false;
      throw new Error(`Transition cancelled: ${result.data.map((d) => d.code).join(',')}`);
    },

    async nextCaseNumber(year) {
      const { data } = await caseSequence.update({ year }).add({ value: 1 }).go({ response: 'all_new' });
      return data.value ?? 1;
    },

    async listByReporter(reporterId, { limit, cursor }) {
      const result = await page(cases.query.byReporter({ reporterKey: reporterId }).go({ order: 'desc', limit, cursor: cursor ?? null }));
      return { ...result, items: result.items.map(toCase) };
    },

    async listByStatus(status, { limit, cursor }) {
      const result = await page(cases.query.byStatus({ status }).go({ order: 'asc', limit, cursor: cursor ?? null }));
      return { ...result, items: result.items.map(toCase) };
    },

    async listByDepartment(departmentId, status, { limit, cursor }) {
      const query = status
        ? cases.query.byDepartment({ assignedDepartmentId: departmentId, status })
        : cases.query.byDepartment({ assignedDepartmentId: departmentId });
      const result = await page(query.go({ order: 'asc', limit, cursor: cursor ?? null }));
      return { ...result, items: result.items.map(toCase) };
    },
  };
}
