import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../support/auth.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

/**
 * 点名 over the local gateway: an agent calls the roll of a supervisor on duty, the SMS is in the outbox,
 * the roll call is the supervisor's open roll call and first task, the answer from inside the area is on
 * time; a second call while one is open is 409, someone else's roll call 404, citizens 403. And
 * `Idempotency-Key` on 上班/下班, track points and the answer: the same key and body answer the first
 * success again (a queued 上班 replayed after 下班 starts nothing), another body is 409.
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<string, { token: string; id: string }> = {};
const PHONES = { agent: '+8613800000002', leader: '+8613800000008', supervisor: '+8613800000003', handler: '+8613800000007', citizen: '+8613900004201' };
const HERE = { lat: 26.879, lng: 112.613 }; // 当家村社区: the supervisor patrols every demo grid

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const [who, phone] of Object.entries(PHONES)) {
    const session = await loginAs(platform.url, phone, who === 'citizen' ? 'register' : 'login');
    tokens[who] = { token: session.accessToken, id: session.user.id };
  }
});
afterAll(async () => platform?.stop());

const call = callAs(() => platform, tokens);
const keyed = (who: string, method: string, path: string, body: unknown, key: string) =>
  platform.api(path, { method, headers: { authorization: `Bearer ${tokens[who]!.token}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('roll calls (点名) over HTTP', () => {
  it('calls the roll of a supervisor on duty, who sees it as a task and answers on time from inside the area', async () => {
    const supervisor = tokens.supervisor!.id;
    const offDuty = await call('agent', 'POST', `/v1/staff/${supervisor}/roll-calls`, {});
    expect(offDuty.status).toBe(409);
    expect(offDuty.json.error.message).toBe('该人员当前未上班，不能点名');
    expect((await call('supervisor', 'POST', '/v1/me/duty', { action: 'start', location: HERE })).status).toBe(200);

    const called = await call('agent', 'POST', `/v1/staff/${supervisor}/roll-calls`, { note: '请报告位置' });
    expect(called.status).toBe(201);
    const { rollCall } = called.json;
    expect(rollCall).toMatchObject({ id: expect.any(String), staffId: supervisor, note: '请报告位置' });
    expect(Date.parse(rollCall.dueAt) - Date.parse(rollCall.sentAt)).toBe(10 * 60_000);
    const again = await call('agent', 'POST', `/v1/staff/${supervisor}/roll-calls`, {});
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('CONFLICT');

    const outbox = await platform.api('/dev/outbox?limit=50');
    const text = outbox.json.items.find((m: any) => m.channel === 'sms' && m.destination === PHONES.supervisor && m.body.includes('点名'));
    expect(text?.body).toMatch(/请于\d\d:\d\d前打开“城管通”/);

    expect((await call('supervisor', 'GET', '/v1/me/roll-calls')).json.items).toEqual([rollCall]);
    const tasks = await call('supervisor', 'GET', '/v1/me/tasks');
    expect(tasks.status).toBe(200);
    expect(tasks.json.items[0]).toEqual({ kind: 'roll-call', dueAt: rollCall.dueAt, rollCall: { id: rollCall.id, sentAt: rollCall.sentAt, dueAt: rollCall.dueAt, note: '请报告位置' } });

    expect((await call('handler', 'POST', `/v1/me/roll-calls/${rollCall.id}/answer`, { location: HERE })).status).toBe(404);
    const answered = await call('supervisor', 'POST', `/v1/me/roll-calls/${rollCall.id}/answer`, { location: HERE });
    expect(answered.status).toBe(200);
    expect(answered.json.rollCall).toMatchObject({ id: rollCall.id, insideArea: true, distanceToAreaMetres: 0, onTime: true, location: HERE });
    expect((await call('supervisor', 'GET', '/v1/me/roll-calls')).json.items).toEqual([]);
    expect((await call('supervisor', 'GET', '/v1/me/tasks')).json.items.filter((i: any) => i.kind === 'roll-call')).toEqual([]);

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const evaluation = await call('leader', 'GET', `/v1/stats/staff?role=supervisor&from=${today}&to=${today}`);
    expect(evaluation.status).toBe(200);
    expect(evaluation.json.items.find((i: any) => i.userId === supervisor)).toMatchObject({ rollCalls: 1, rollCallsAnsweredOnTime: 1, onTimeRollCallRate: 1 });
  });

  it('gives citizens 403 on every roll-call route, and a field person 403 on calling the roll', async () => {
    const id = randomUUID();
    for (const [method, path, body] of [
      ['POST', `/v1/staff/${tokens.supervisor!.id}/roll-calls`, {}],
      ['GET', '/v1/me/roll-calls', undefined],
      ['POST', `/v1/me/roll-calls/${id}/answer`, { location: HERE }],
    ] as const) {
      expect([path, (await call('citizen', method, path, body)).status]).toEqual([path, 403]);
    }
    expect((await call('supervisor', 'POST', `/v1/staff/${tokens.handler!.id}/roll-calls`, {})).status).toBe(403);
  });
});

describe('Idempotency-Key on the duty routes', () => {
  it('answers a replayed 上班 after 下班 with its first answer and starts nothing; another body is 409', async () => {
    const start = { action: 'start', location: HERE, at: ago(30) };
    const key = `duty-${randomUUID()}`;
    const first = await keyed('handler', 'POST', '/v1/me/duty', start, key);
    expect(first.status).toBe(200);
    expect(first.json.duty.onDuty).toBe(true);
    expect((await keyed('handler', 'POST', '/v1/me/duty', { action: 'end', location: HERE, at: ago(10) }, `duty-${randomUUID()}`)).json.duty).toEqual({ onDuty: false });

    const replay = await keyed('handler', 'POST', '/v1/me/duty', start, key);
    expect(replay.status).toBe(200);
    expect(replay.json).toEqual(first.json);
    expect((await call('handler', 'GET', '/v1/me/duty')).json.duty).toEqual({ onDuty: false });

    const other = await keyed('handler', 'POST', '/v1/me/duty', { ...start, at: ago(29) }, key);
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('CONFLICT');
    expect((await keyed('handler', 'POST', '/v1/me/duty', start, 'bad key!')).status).toBe(400);
  });

  it('answers a replayed batch of track points with its counts; another batch under the key is 409', async () => {
    expect((await call('handler', 'POST', '/v1/me/duty', { action: 'start', location: HERE })).status).toBe(200);
    const key = `track-${randomUUID()}`;
    const batch = { points: [{ ...HERE, at: ago(0) }] };
    const first = await keyed('handler', 'POST', '/v1/me/track-points', batch, key);
    expect(first.status).toBe(202);
    expect(first.json).toEqual({ accepted: 1, dropped: 0 });
    const replay = await keyed('handler', 'POST', '/v1/me/track-points', batch, key);
    expect([replay.status, replay.json]).toEqual([202, first.json]);
    expect((await keyed('handler', 'POST', '/v1/me/track-points', { points: [{ ...HERE, at: ago(1) }] }, key)).status).toBe(409);
  });

  it('answers a replayed roll-call answer with the first; another body under the key is 409', async () => {
    const called = await call('agent', 'POST', `/v1/staff/${tokens.handler!.id}/roll-calls`, {});
    expect(called.status).toBe(201);
    const path = `/v1/me/roll-calls/${called.json.rollCall.id}/answer`;
    const key = `answer-${randomUUID()}`;
    const first = await keyed('handler', 'POST', path, { location: HERE }, key);
    expect(first.status).toBe(200);
    const replay = await keyed('handler', 'POST', path, { location: HERE }, key);
    expect([replay.status, replay.json]).toEqual([200, first.json]);
    expect((await keyed('handler', 'POST', path, { location: { lat: 26.88, lng: 112.613 } }, key)).status).toBe(409);
  });
});
