import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../support/auth.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

/**
 * 考勤 · 轨迹 over the local gateway: a supervisor and a handler go on duty and send points; the agent
 * sees them on duty and replays a day; a street brigade's dispatcher sees its own handler only; citizens
 * get 403 on every route; the person's export carries their own spans and points.
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<string, { token: string; id: string }> = {};
const PHONES = { agent: '+8613800000002', supervisor: '+8613800000003', brigade: '+8613800000006', handler: '+8613800000007', citizen: '+8613900004101' };
const HERE = { lat: 26.879, lng: 112.613 };

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const [who, phone] of Object.entries(PHONES)) {
    const session = await loginAs(platform.url, phone, who === 'citizen' ? 'register' : 'login');
    tokens[who] = { token: session.accessToken, id: session.user.id };
  }
});
afterAll(async () => platform?.stop());

const call = callAs(() => platform, tokens);
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('on duty (考勤 · 轨迹) over HTTP', () => {
  it('starts duty, counts points, lists the person on duty and replays the day; ends duty', async () => {
    for (const who of ['supervisor', 'handler']) {
      const started = await call(who, 'POST', '/v1/me/duty', { action: 'start', location: HERE, at: ago(10) });
      expect(started.status).toBe(200);
      expect(started.json.duty).toMatchObject({ onDuty: true, since: expect.any(String), lastPoint: { ...HERE, at: expect.any(String) } });
    }
    const sent = await call('supervisor', 'POST', '/v1/me/track-points', { points: [{ ...HERE, at: ago(20) }, { ...HERE, accuracyMetres: 5, at: ago(5) }, { lat: 26.88, lng: 112.613, at: ago(1) }] });
    expect(sent.status).toBe(202);
    expect(sent.json).toEqual({ accepted: 2, dropped: 1 });
    expect((await call('supervisor', 'GET', '/v1/me/duty')).json.duty.lastPoint).toMatchObject({ lat: 26.88, lng: 112.613 });

    const onDuty = await call('agent', 'GET', '/v1/staff/on-duty');
    expect(onDuty.status).toBe(200);
    expect(onDuty.json.items.map((i: any) => i.id)).toEqual(expect.arrayContaining([tokens.supervisor!.id, tokens.handler!.id]));
    const track = await call('agent', 'GET', `/v1/staff/${tokens.supervisor!.id}/track`);
    expect(track.status).toBe(200);
    expect(track.json).toMatchObject({ points: [expect.objectContaining({ accuracyMetres: 5 }), expect.any(Object)], duty: [{ start: expect.any(String) }], minutesOutsideArea: 0 });
    expect(track.json.distanceMetres).toBeGreaterThan(100);
    expect((await call('supervisor', 'GET', '/v1/me/track')).json.points).toHaveLength(2);

    // The brigade's dispatcher: its own handler, not the city bureau's supervisor.
    const brigade = await call('brigade', 'GET', '/v1/staff/on-duty');
    expect(brigade.json.items.map((i: any) => i.id)).toEqual([tokens.handler!.id]);
    expect((await call('brigade', 'GET', `/v1/staff/${tokens.supervisor!.id}/track`)).status).toBe(403);
    expect((await call('brigade', 'GET', '/v1/staff/on-duty?departmentId=city-bureau')).status).toBe(403);
    expect((await call('brigade', 'GET', `/v1/staff/${tokens.handler!.id}/track`)).status).toBe(200);

    const exported = await call('supervisor', 'GET', '/v1/me/export');
    expect(exported.json.trackPoints).toHaveLength(2);
    expect(exported.json.dutySpans).toHaveLength(1);

    const ended = await call('supervisor', 'POST', '/v1/me/duty', { action: 'end', location: HERE });
    expect(ended.json.duty).toEqual({ onDuty: false });
    expect((await call('supervisor', 'POST', '/v1/me/duty', { action: 'end', location: HERE })).json.duty).toEqual({ onDuty: false });
  });

  it('refuses a time outside the window with a 400 in Chinese, and a malformed batch with a 400', async () => {
    const refused = await call('handler', 'POST', '/v1/me/duty', { action: 'start', location: HERE, at: ago(25 * 60) });
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toBe('时间须在过去 24 小时内，且不得晚于当前时间 5 分钟以上');
    expect((await call('handler', 'POST', '/v1/me/track-points', { points: [] })).status).toBe(400);
    expect((await call('handler', 'POST', '/v1/me/track-points', { points: [{ lat: 100, lng: 0, at: ago(1) }] })).status).toBe(400);
  });

  it('gives citizens 403 on every duty route, and agents 403 on the field staff\'s own routes', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/v1/me/duty'],
      ['POST', '/v1/me/duty', { action: 'start', location: HERE }],
      ['POST', '/v1/me/track-points', { points: [{ ...HERE, at: ago(1) }] }],
      ['GET', '/v1/me/track'],
      ['GET', '/v1/staff/on-duty'],
      ['GET', `/v1/staff/${tokens.supervisor!.id}/track`],
    ];
    for (const [method, path, body] of routes) expect([path, (await call('citizen', method, path, body)).status]).toEqual([path, 403]);
    expect((await call('agent', 'POST', '/v1/me/duty', { action: 'start', location: HERE })).status).toBe(403);
    expect((await call('supervisor', 'GET', '/v1/staff/on-duty')).status).toBe(403);
  });
});
