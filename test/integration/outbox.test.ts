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
});
