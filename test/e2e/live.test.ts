import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loginAs } from '../support/auth.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

/**
 * The live channel over the real local WebSocket (`ws://…/live` on the gateway's port, the same handlers
 * as the cloud's WebSocket API): tickets, scope, `missed`, and sockets closed when their session ends.
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<string, { token: string; id: string; refreshToken: string }> = {};
const PEOPLE = {
  agent: '+8613800000002',
  brigadeDispatcher: '+8613800000006', // 雁峰街道城管大队
  leader: '+8613800000008',
  supervisor: '+8613800000003', // 市城管执法局 (city-bureau)
  handler: '+8613800000007', // 雁峰街道城管大队
} as const;

beforeAll(async () => {
  // The re-check runs every 300 ms here (60 s by default, as the cloud's schedule).
  platform = await startTestPlatform({ liveRecheckMs: 300 });
  for (const [who, phone] of Object.entries(PEOPLE)) {
    const session = await loginAs(platform.url, phone);
    tokens[who] = { token: session.accessToken, id: session.user.id, refreshToken: session.refreshToken };
  }
  const citizen = await loginAs(platform.url, '13912370001', 'register');
  tokens.citizen = { token: citizen.accessToken, id: citizen.user.id, refreshToken: citizen.refreshToken };
});
afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await platform?.stop();
});

const call = callAs(() => platform, tokens);
const sockets: WebSocket[] = [];

interface Live {
  id: string;
  type: string;
  caseId?: string;
  summary: string;
  departmentId?: string;
}

/** Opens a socket with a ticket; its messages collect in `messages`, `until` waits for one. */
async function connect(who: string) {
  const ticket = await call(who, 'POST', '/v1/live/tickets');
  expect(ticket.status).toBe(201);
  return open(ticket.json.url, ticket.json.ticket);
}

function open(url: string, ticket: string) {
  const ws = new WebSocket(`${url}?ticket=${encodeURIComponent(ticket)}`);
  sockets.push(ws);
  const messages: Live[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Live);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
  const until = async (match: (m: Live) => boolean): Promise<Live> => {
    for (;;) {
      const found = messages.find(match);
      if (found) return found;
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { ws, messages, opened, closed, until };
}

const report = async (description: string) => {
  const created = await call('citizen', 'POST', '/v1/cases', { description, location: { lat: 26.879, lng: 112.613 } });
  expect(created.status).toBe(201);
  return created.json.case.id as string;
};

/** A reported case filed and dispatched by the agent to `departmentId`. */
const dispatchedTo = async (departmentId: string, description: string) => {
  const id = await report(description);
  expect((await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0503' })).status).toBe(200);
  expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId })).status).toBe(200);
  return id;
};

describe('live channel', () => {
  it('delivers a new report to a connected agent\'s socket, with its summary in Chinese', async () => {
    const agent = await connect('agent');
    await agent.opened;
    const id = await report('人行道上堆放建筑垃圾');
    const message = await agent.until((m) => m.caseId === id && m.type === 'case.reported');
    expect(message).toMatchObject({ type: 'case.reported', caseId: id, summary: expect.stringContaining('新上报') });
    expect(message.id).toMatch(/^[0-9a-z]{9}-[0-9a-f]{12}$/);
    expect(Object.keys(message)).not.toContain('audience');
  });

  it('refuses citizens a ticket (403) and a socket without a ticket (401)', async () => {
    expect((await call('citizen', 'POST', '/v1/live/tickets')).status).toBe(403);
    expect((await call('citizen', 'GET', `/v1/live/missed?since=${'0'.repeat(9)}-${'0'.repeat(12)}`)).status).toBe(403);
    const ticket = await call('agent', 'POST', '/v1/live/tickets');
    await expect(open(ticket.json.url, 'not-a-ticket').opened).rejects.toMatchObject({ status: 401 });
  });

  it('takes a ticket once: a second socket with it is refused', async () => {
    const ticket = await call('agent', 'POST', '/v1/live/tickets');
    expect(ticket.json).toMatchObject({ url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/live$/), ticket: expect.any(String), expiresAt: expect.any(String) });
    await open(ticket.json.url, ticket.json.ticket).opened;
    await expect(open(ticket.json.url, ticket.json.ticket).opened).rejects.toMatchObject({ status: 401 });
  });

  it('gives a dispatcher only the messages of cases held in its subtree, on the socket and in missed', async () => {
    const agent = await connect('agent');
    const brigade = await connect('brigadeDispatcher');
    await Promise.all([agent.opened, brigade.opened]);
    const elsewhere = await dispatchedTo('dongfeng-street-brigade', '东风街道占道经营');
    await agent.until((m) => m.caseId === elsewhere && m.type === 'case.dispatched');
    const ours = await dispatchedTo('yanfeng-street-brigade', '雁峰街道占道经营');
    const received = await brigade.until((m) => m.caseId === ours && m.type === 'case.dispatched');
    expect(received.summary).toContain('雁峰街道城管大队');
    // The other district's case reached the agent before ours was even made: it was never sent here.
    expect(brigade.messages.filter((m) => m.caseId === elsewhere)).toEqual([]);
    // Reports and filings (no holder yet) are the center's, not a brigade's.
    expect(brigade.messages.filter((m) => m.type === 'case.reported')).toEqual([]);

    const since = agent.messages[0]!.id;
    const missed = await call('brigadeDispatcher', 'GET', `/v1/live/missed?since=${since}`);
    expect(missed.status).toBe(200);
    expect(missed.json.items.some((m: Live) => m.caseId === ours)).toBe(true);
    expect(missed.json.items.some((m: Live) => m.caseId === elsewhere)).toBe(false);
    const all = await call('agent', 'GET', `/v1/live/missed?since=${since}`);
    expect(all.json.items.some((m: Live) => m.caseId === elsewhere)).toBe(true);
  });

  it('loses nothing over a reconnect: missed?since= the last id has everything sent meanwhile', async () => {
    const before = await connect('agent');
    await before.opened;
    const marker = await report('重连前的最后一条');
    const last = await before.until((m) => m.caseId === marker);
    before.ws.close();
    await before.closed;

    const meanwhile = [await report('断线期间一'), await report('断线期间二'), await report('断线期间三')];
    await platform.settle();
    const missed = await call('agent', 'GET', `/v1/live/missed?since=${last.id}`);
    expect(missed.status).toBe(200);
    const ids: string[] = missed.json.items.map((m: Live) => m.id);
    for (const caseId of meanwhile) expect(missed.json.items.filter((m: Live) => m.caseId === caseId && m.type === 'case.reported')).toHaveLength(1);
    expect(ids).not.toContain(last.id);
    expect([...ids].sort()).toEqual(ids); // oldest first, ids in time order
    expect(new Set(ids).size).toBe(ids.length);

    const after = await connect('agent');
    await after.opened;
    const next = await report('重连之后');
    await after.until((m) => m.caseId === next);
  });

  it('answers 400 to a since that is not a message id', async () => {
    const missed = await call('agent', 'GET', '/v1/live/missed?since=yesterday');
    expect(missed.status).toBe(400);
    expect(missed.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('closes the socket of a session that ended (logout) within the re-check period', async () => {
    const socket = await connect('leader');
    await socket.opened;
    const staying = await connect('agent');
    await staying.opened;
    expect((await call('leader', 'POST', '/v1/auth/logout', { refreshToken: tokens.leader!.refreshToken })).status).toBe(204);
    // Closed by the re-check (4401: the console logs in again instead of reconnecting).
    expect(await socket.closed).toBe(4401);
    // Other sessions keep their sockets.
    const id = await report('注销后的另一会话');
    await staying.until((m) => m.caseId === id);
    expect(staying.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('live channel: on duty and roll calls (the routes\' own messages)', () => {
  const here = { lat: 26.879, lng: 112.613 };

  it('tells agents and the person of duty.changed and roll-call.answered, and a dispatcher only for people of its subtree', async () => {
    const agent = await connect('agent');
    const brigade = await connect('brigadeDispatcher');
    const supervisor = await connect('supervisor');
    await Promise.all([agent.opened, brigade.opened, supervisor.opened]);

    // The supervisor (city-bureau, above the brigade: outside its subtree) comes on duty and answers a roll call.
    expect((await call('supervisor', 'POST', '/v1/me/duty', { action: 'start', location: here })).status).toBe(200);
    const started = await agent.until((m) => m.type === 'duty.changed' && m.summary.includes('上班'));
    expect(started).toMatchObject({ departmentId: 'city-bureau', summary: expect.stringContaining('上班') });
    const called = await call('agent', 'POST', `/v1/staff/${tokens.supervisor!.id}/roll-calls`, {});
    expect(called.status).toBe(201);
    const answered = await call('supervisor', 'POST', `/v1/me/roll-calls/${called.json.rollCall.id}/answer`, { location: here });
    expect(answered.status).toBe(200);
    const heard = await agent.until((m) => m.type === 'roll-call.answered');
    expect(heard).toMatchObject({ departmentId: 'city-bureau', summary: expect.stringMatching(/已应答点名：在辖区，按时$/) });
    expect(Object.keys(heard)).not.toContain('audience');
    // The person hears their own.
    expect((await supervisor.until((m) => m.type === 'roll-call.answered')).id).toBe(heard.id);
    // A replay of the answer (another request, the answer given already) publishes nothing more.
    expect((await call('supervisor', 'POST', `/v1/me/roll-calls/${called.json.rollCall.id}/answer`, { location: here })).status).toBe(200);

    // The brigade's handler comes on duty: the brigade's dispatcher hears that one — and, sent after the
    // supervisor's, it proves the supervisor's messages were never sent to the brigade.
    expect((await call('handler', 'POST', '/v1/me/duty', { action: 'start', location: here })).status).toBe(200);
    const handlerOn = await brigade.until((m) => m.type === 'duty.changed');
    expect(handlerOn).toMatchObject({ departmentId: 'yanfeng-street-brigade', summary: expect.stringContaining('上班') });
    expect(brigade.messages.filter((m) => m.type === 'roll-call.answered' || m.departmentId === 'city-bureau')).toEqual([]);
    await agent.until((m) => m.id === handlerOn.id);
    expect(agent.messages.filter((m) => m.type === 'roll-call.answered')).toHaveLength(1);

    // 下班 is a change too; a second 下班 (already off duty) is not.
    expect((await call('supervisor', 'POST', '/v1/me/duty', { action: 'end', location: here })).status).toBe(200);
    expect((await call('supervisor', 'POST', '/v1/me/duty', { action: 'end', location: here })).status).toBe(200);
    await agent.until((m) => m.type === 'duty.changed' && m.summary.includes('下班'));
    const missed = await call('brigadeDispatcher', 'GET', `/v1/live/missed?since=${started.id}`);
    expect(missed.json.items.filter((m: Live) => m.departmentId === 'city-bureau')).toEqual([]);
    await platform.settle();
    const all = await call('agent', 'GET', `/v1/live/missed?since=${started.id}`);
    expect(all.json.items.filter((m: Live) => m.type === 'duty.changed' && m.summary.endsWith('下班'))).toHaveLength(1);
  });
});
