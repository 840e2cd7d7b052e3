import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors';
import type { GridIndex } from '#shared/domain/geo/grid-index';
import { receiveTicket, type HotlineDeps, type HotlineTicket } from '#shared/domain/hotline/use-cases';

// The ticket store is stubbed here (the e2e hardening test drives the real one): it answers as for a
// ticket already stored with `storedHash`, and records the hash a new claim would carry.
const ticket: HotlineTicket = { ticketId: 'T-1', callerPhone: '13912377777', description: '楼顶灯光招牌太亮', location: { lat: 26.879, lng: 112.613 }, receivedAt: '2026-12-02T08:00:00.000Z' };
const deps = (storedHash: string | undefined, claimed: string[] = []): HotlineDeps => ({
  reference: { grids: async () => ({ locate: () => undefined }) as unknown as GridIndex },
  store: {
    createFromTicket: async (input) => {
      claimed.push(input.bodyHash);
      return { created: false, caseId: 'case-1', bodyHash: storedHash };
    },
  },
  now: () => new Date('2026-12-02T09:00:00Z'),
  newId: () => 'case-2',
});
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
// How tickets were hashed before: nested keys dropped by the key list (`location` as `{}`).
const legacy = (t: HotlineTicket) => sha256(JSON.stringify(t, Object.keys(t).sort()));

describe('a repeated hotline ticket', () => {
  it('is the same body whatever its keys\' order, nested ones included; another location is another body', async () => {
    const claimed: string[] = [];
    await receiveTicket(deps(undefined, claimed), 'msg_1', ticket);
    const [stored] = claimed;
    await expect(receiveTicket(deps(stored), 'msg_2', { ...ticket, location: { lng: 112.613, lat: 26.879 } })).resolves.toEqual({ created: false, caseId: 'case-1' });
    await expect(receiveTicket(deps(stored), 'msg_3', { ...ticket, location: { lat: 26.9, lng: 112.6 } })).rejects.toBeInstanceOf(ConflictError);
  });

  it('still matches a ticket stored with the old hash, so its honest replays stay 200', async () => {
    await expect(receiveTicket(deps(legacy(ticket)), 'msg_4', ticket)).resolves.toEqual({ created: false, caseId: 'case-1' });
    await expect(receiveTicket(deps(legacy(ticket)), 'msg_5', { ...ticket, description: '另一个问题' })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('a new hotline ticket', () => {
  it('notes the call time as every time is shown (Beijing time, 2026/12/02 16:00), not as the hotline wrote it', async () => {
    const notes: Array<string | undefined> = [];
    const recording: HotlineDeps = {
      ...deps(undefined),
      store: {
        createFromTicket: async (input) => {
          notes.push(input.event.note);
          return { created: true, caseId: 'case-2', bodyHash: input.bodyHash };
        },
      },
    };
    await receiveTicket(recording, 'msg_6', { ...ticket, receivedAt: '2026-12-02T08:00:00Z' });
    expect(notes).toEqual(['热线工单 T-1（来电 2026/12/02 16:00）']);
  });
});
