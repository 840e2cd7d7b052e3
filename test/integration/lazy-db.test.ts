import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_DETAIL_ENTITIES, CASE_ENTITIES, createCaseStore } from '#shared/data/case-store';
import { createDb, lazyDb, type EntityFactory } from '#shared/data/db';
import { createIdentityStore, IDENTITY_ENTITIES } from '#shared/data/identity-store';
import { newReportedCase } from '#shared/domain/cases/model';
import { createTestTable } from '../support/table.ts';

/**
 * The functions' per-store Dbs (`getDb(…)`): an entity is built when first used, a store's
 * Service when it first writes a transaction or reads a collection, and what they write and read is
 * what the whole table's Service writes and reads.
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table?.drop());

/** Like the container's: one instance per entity, shared by the stores; counts what was built. */
function containerOf() {
  const built = new Map<EntityFactory, ReturnType<EntityFactory>>();
  const entityOf = (factory: EntityFactory) => {
    if (!built.has(factory)) built.set(factory, factory(table.client, table.tableName));
    return built.get(factory)!;
  };
  const connection = () => ({ client: table.client, table: table.tableName });
  return { built, db: <F extends Record<string, EntityFactory>>(factories: F) => lazyDb(factories, entityOf, connection) };
}

const reportedCase = () => {
  const at = new Date();
  return newReportedCase({ id: randomUUID(), channel: 'patrol', description: '沿街晾挂' }, at, { id: 's', role: 'supervisor', displayName: '监督员' });
};

describe('per-store Dbs', () => {
  it('build nothing when a store is created, and only the entity a read uses', async () => {
    const container = containerOf();
    const users = createIdentityStore(container.db(IDENTITY_ENTITIES));
    const cases = createCaseStore(container.db(CASE_ENTITIES), container.db(CASE_DETAIL_ENTITIES));
    expect(container.built.size).toBe(0);
    expect(await users.getUser(randomUUID())).toBeUndefined();
    expect([...container.built.keys()]).toEqual([IDENTITY_ENTITIES.user]);
    expect(await cases.getCase(randomUUID())).toBeUndefined();
    expect(container.built.size).toBe(2);
  });

  it('read a case detail through a Service of the collection only, and write transactions across the store', async () => {
    const container = containerOf();
    const cases = createCaseStore(container.db(CASE_ENTITIES), container.db(CASE_DETAIL_ENTITIES));
    const { case: c, event } = reportedCase();
    // A transaction: the case, its first event and a counter, in one write (the store's Service).
    await cases.createCase({ case: c, event, counters: [{ scope: 'city', day: c.createdAt.slice(0, 10), add: { received: 1 } }] });
    expect(container.built.size).toBe(Object.keys(CASE_ENTITIES).length);
    const detail = await cases.getCaseWithTimeline(c.id);
    expect(detail?.case).toEqual(c);
    expect(detail?.timeline).toEqual([event]);
    // The whole table's Service reads the same items back.
    const whole = await createCaseStore(createDb(table.client, table.tableName)).getCaseWithTimeline(c.id);
    expect(whole).toEqual(detail);
  });

  it('read a collection before any transaction, building only the collection\'s entities', async () => {
    const container = containerOf();
    const { case: c, event } = reportedCase();
    await createCaseStore(createDb(table.client, table.tableName)).createCase({ case: c, event, counters: [] });
    const cases = createCaseStore(container.db(CASE_ENTITIES), container.db(CASE_DETAIL_ENTITIES));
    expect((await cases.getCaseWithTimeline(c.id))?.timeline).toEqual([event]);
    expect([...container.built.keys()].sort()).toEqual([CASE_DETAIL_ENTITIES.case, CASE_DETAIL_ENTITIES.caseEvent].sort());
  });
});
