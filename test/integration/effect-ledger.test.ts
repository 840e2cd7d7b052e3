import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEffectLedger, LEASE_MS } from '#shared/data/effect-ledger';
import type { Case, CaseEvent } from '#shared/domain/cases/model';
import { PermanentEffectError, processCaseEvent, type EventDeps } from '#shared/domain/events/use-cases';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => void (table = await createTestTable()));
afterAll(async () => table?.drop());

describe('the effect ledger (DynamoDB Local)', () => {
  it('claims once; a second delivery waits while the lease lives, takes over when it ran out, skips when done', async () => {
    let now = new Date('2026-05-10T00:00:00Z');
    const ledger = createEffectLedger(table.db, () => now);
    expect(await ledger.claim('c1.2#sms#user:u1')).toBe('claimed');
    expect(await ledger.claim('c1.2#sms#user:u1')).toBe('busy');
    // The holder crashed between claim and send: after the lease, the next delivery does it.
    now = new Date(now.getTime() + LEASE_MS + 1);
    expect(await ledger.claim('c1.2#sms#user:u1')).toBe('claimed');
    expect(await ledger.claim('c1.2#sms#user:u1')).toBe('busy');
    await ledger.complete('c1.2#sms#user:u1');
    now = new Date(now.getTime() + 10 * LEASE_MS);
    expect(await ledger.claim('c1.2#sms#user:u1')).toBe('done');
  });

  it('exclusive (the local platform): takes over at once a lease left by another process, never one of its own', async () => {
    const now = () => new Date('2026-05-10T00:00:00Z');
    const killed = createEffectLedger(table.db, now, { owner: 'a-process-killed-with-9', exclusive: true });
    const restarted = createEffectLedger(table.db, now, { owner: 'the-restarted-process', exclusive: true });
    expect(await killed.claim('c4.1#publish')).toBe('claimed');
    // The same instant: the lease is far from over, but its holder is gone.
    expect(await restarted.claim('c4.1#publish')).toBe('claimed');
    expect(await restarted.claim('c4.1#publish')).toBe('busy');
    await restarted.complete('c4.1#publish');
    expect(await restarted.claim('c4.1#publish')).toBe('done');
    // Shared (the cloud, containers side by side): another owner's live lease is respected.
    const other = createEffectLedger(table.db, now, { owner: 'container-a' });
    const shared = createEffectLedger(table.db, now, { owner: 'container-b' });
    expect(await other.claim('c4.2#publish')).toBe('claimed');
    expect(await shared.claim('c4.2#publish')).toBe('busy');
  });

  it('lets exactly one of many concurrent deliveries claim', async () => {
    const ledger = createEffectLedger(table.db);
    const answers = await Promise.all(Array.from({ length: 10 }, () => ledger.claim('c2.3#publish')));
    expect(answers.filter((a) => a === 'claimed')).toHaveLength(1);
  });
});

describe('processCaseEvent effect by effect', () => {
  const c: Case = {
    id: 'c3', caseNumber: '2026-000003', status: 'filed', channel: 'hotline', description: '井盖缺失', callerPhone: '+8613900000000', hotlineTicketId: 'T-3',
    dispatchPath: [], escalationLevel: 0, reworkCount: 0, beforePhotoKeys: [], afterPhotoKeys: [], createdAt: '2026-05-10T00:00:00Z', updatedAt: '2026-05-10T00:00:00Z', version: 2, eventCount: 2,
  };
  const filed: CaseEvent = { caseId: 'c3', seq: 2, at: '2026-05-10T00:10:00Z', action: 'file', fromStatus: 'reported', toStatus: 'filed', actor: { id: 'a', role: 'agent', displayName: '坐席员' }, internal: true };
  const deps = (sms: EventDeps['sms'], published: string[], logs: string[]): EventDeps => ({
    cases: { getCase: async () => c, listFollowers: async () => [] },
    users: { getUser: async () => undefined, listDepartmentStaff: async () => [] },
    sms,
    topic: { publish: async (m) => void published.push(m.id) },
    timers: { start: async () => undefined },
    ledger: createEffectLedger(table.db),
    smsPrefixes: ['+86'],
    log: (message) => void logs.push(message),
  });

  it('publishes before texting, so a failing SMS neither blocks nor repeats the topic message', async () => {
    const published: string[] = [];
    let attempts = 0;
    const d = deps({ send: async () => { if (attempts++ === 0) throw new Error('Throttled'); } }, published, []);
    await expect(processCaseEvent(d, filed)).rejects.toThrow('Throttled');
    expect(published).toEqual(['c3.2']);
    expect(await processCaseEvent(d, filed)).toEqual({ done: ['sms:caller'] }); // the retry texts; nothing published twice
    expect(published).toEqual(['c3.2']);
  });

  it('counts an SMS that can never be delivered as done (logged), instead of blocking the case\'s events', async () => {
    const logs: string[] = [];
    const d = deps({ send: async () => { throw new PermanentEffectError('SNS refused the SMS (InvalidParameterException)'); } }, [], logs);
    expect(await processCaseEvent(d, { ...filed, caseId: 'c3', seq: 20 })).toEqual({ done: ['publish'] });
    expect(logs).toContain('effect failed permanently; not retried');
    expect(await processCaseEvent(d, { ...filed, caseId: 'c3', seq: 20 })).toEqual({ done: [] });
  });
});
