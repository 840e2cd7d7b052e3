import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox } from '#shared/adapters/outbox';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

describe('the local outbox', () => {
  it('lists outbox messages newest first with a cursor', async () => {
    let clock = Date.parse('2026-11-28T08:00:00.000Z');
    const outbox = createOutbox(table.db, () => new Date((clock += 1000)));
    for (const n of [1, 2, 3]) await outbox.record({ channel: 'topic', destination: 'case-events', body: `event ${n}` });
    const first = await outbox.list({ limit: 2 });
    expect(first.items.map((m) => m.body)).toEqual(['event 3', 'event 2']);
    expect(first.nextCursor).toBeDefined();
    const second = await outbox.list({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((m) => m.body)).toEqual(['event 1']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('keeps one message per effect key: an effect sent again after a crash is not sent twice', async () => {
    const outbox = createOutbox(table.db);
    const effectKey = `c-${Date.now()}.2#sms#user:u1`;
    const first = await outbox.record({ channel: 'sms', destination: '+8613900000001', body: '已受理立案 once' }, { effectKey });
    const again = await outbox.record({ channel: 'sms', destination: '+8613900000001', body: '已受理立案 once' }, { effectKey });
    expect(again).toBe(first);
    const { items } = await outbox.list({ limit: 100 });
    expect(items.filter((m) => m.body === '已受理立案 once')).toHaveLength(1);
    // Without a key (SMS codes, callbacks) every message is kept.
    await outbox.record({ channel: 'sms', destination: '+8613900000001', body: 'no key' });
    await outbox.record({ channel: 'sms', destination: '+8613900000001', body: 'no key' });
    expect((await outbox.list({ limit: 100 })).items.filter((m) => m.body === 'no key')).toHaveLength(2);
  });
});
