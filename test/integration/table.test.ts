import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

const message = (id: string) => ({ id, channel: 'sms' as const, destination: '+8613800000007', body: `m ${id}`, createdAt: '2026-11-28T00:00:00.000Z' });

describe('the single table on DynamoDB Local', () => {
  it('writes two items in one transaction and reads them back through their keys', async () => {
    const { outboxMessage } = table.db.entities;
    const result = await table.db.transaction
      .write(({ outboxMessage: m }) => [m.create(message('tx-a')).commit(), m.create(message('tx-b')).commit()])
      .go();
    expect(result.canceled).toBe(false);
    const a = await outboxMessage.get({ id: 'tx-a' }).go();
    const b = await outboxMessage.get({ id: 'tx-b' }).go();
    expect(a.data?.body).toBe('m tx-a');
    expect(b.data?.body).toBe('m tx-b');
  });

  it('writes nothing when one condition of the transaction fails', async () => {
    const { outboxMessage } = table.db.entities;
    await outboxMessage.create(message('tx-exists')).go();
    const result = await table.db.transaction
      .write(({ outboxMessage: m }) => [m.create(message('tx-new')).commit(), m.create(message('tx-exists')).commit()])
      .go();
    expect(result.canceled).toBe(true);
    expect(result.data.map((item) => item.code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect((await outboxMessage.get({ id: 'tx-new' }).go()).data).toBeNull();
  });
});
