import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../support/auth.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<string, { token: string; id: string }> = {};

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const [who, phone] of Object.entries({ supervisor: '+8613800000003', agent: '+8613800000002', leader: '+8613800000008' })) {
    const session = await loginAs(platform.url, phone);
    tokens[who] = { token: session.accessToken, id: session.user.id };
  }
  const citizen = await loginAs(platform.url, '13912360001', 'register');
  tokens.citizen = { token: citizen.accessToken, id: citizen.user.id };
});
afterAll(async () => platform?.stop());

const call = callAs(() => platform, tokens);
const CROSSROADS = 'yanfeng-dangjiacun-crossroads';
let firstVideoCase = '';

describe('视频巡查: a supervisor reports what a camera shows', () => {
  it('lists the demo city\'s cameras to staff, each with its grid; citizens get 403', async () => {
    const listed = await call('supervisor', 'GET', '/v1/cameras');
    expect(listed.status).toBe(200);
    expect(listed.json.items.length).toBeGreaterThanOrEqual(2);
    expect(listed.json.items).toContainEqual({ id: CROSSROADS, name: '当家村社区十字路口', location: { lat: 26.879, lng: 112.613 }, gridId: 'yanfeng-dangjiacun' });
    expect((await call('agent', 'GET', '/v1/cameras')).status).toBe(200);
    expect((await call('citizen', 'GET', '/v1/cameras')).status).toBe(403);
  });

  it('takes the camera\'s place when no location is given; staff see the camera, the reporter\'s view does not', async () => {
    const reported = await call('supervisor', 'POST', '/v1/cases', { description: '十字路口沿街晾挂衣物（视频巡查发现）', channel: 'video', cameraId: CROSSROADS });
    expect(reported.status).toBe(201);
    firstVideoCase = reported.json.case.id;
    expect(reported.json.case).toMatchObject({ channel: 'video', location: { lat: 26.879, lng: 112.613 }, gridId: 'yanfeng-dangjiacun', gridName: '当家村社区' });
    expect(JSON.stringify(reported.json)).not.toContain(CROSSROADS);

    const seen = await call('agent', 'GET', `/v1/cases/${reported.json.case.id}`);
    expect(seen.json.case).toMatchObject({ channel: 'video', camera: { id: CROSSROADS, name: '当家村社区十字路口' } });
    const own = await call('supervisor', 'GET', '/v1/me/cases');
    const mine = own.json.items.find((c: { id: string }) => c.id === reported.json.case.id);
    expect(mine).toMatchObject({ channel: 'video' });
    expect(mine.camera).toBeUndefined();
  });

  it('keeps a location the supervisor gives (the camera looks down the street)', async () => {
    const reported = await call('supervisor', 'POST', '/v1/cases', { description: '路口东侧井盖缺失', channel: 'video', cameraId: CROSSROADS, location: { lat: 26.87, lng: 112.628 } });
    expect(reported.status).toBe(201);
    expect(reported.json.case).toMatchObject({ channel: 'video', location: { lat: 26.87, lng: 112.628 }, gridId: 'baishazhou-baisha' });
  });

  it('reports video without a camera when the supervisor gives the place; without either it is a 400', async () => {
    const reported = await call('supervisor', 'POST', '/v1/cases', { description: '广场堆放建筑垃圾', channel: 'video', location: { lat: 26.879, lng: 112.613 } });
    expect(reported.status).toBe(201);
    expect(reported.json.case.channel).toBe('video');
    expect((await call('agent', 'GET', `/v1/cases/${reported.json.case.id}`)).json.case.camera).toBeUndefined();

    const placeless = await call('supervisor', 'POST', '/v1/cases', { description: '广场堆放建筑垃圾', channel: 'video' });
    expect(placeless.status).toBe(400);
    expect(placeless.json.error.details).toContainEqual(expect.objectContaining({ path: 'location' }));
  });

  it('keeps patrol as a supervisor\'s default channel', async () => {
    const reported = await call('supervisor', 'POST', '/v1/cases', { description: '人行道破损', location: { lat: 26.879, lng: 112.613 } });
    expect(reported.status).toBe(201);
    expect(reported.json.case.channel).toBe('patrol');
  });

  it('refuses an unknown camera (400) and a camera without channel video (400)', async () => {
    const unknown = await call('supervisor', 'POST', '/v1/cases', { description: '人行道破损', channel: 'video', cameraId: 'no-such-camera' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details).toContainEqual(expect.objectContaining({ path: 'cameraId' }));
    expect(unknown.json.error.message).toBe('摄像头不存在：no-such-camera');

    const patrol = await call('supervisor', 'POST', '/v1/cases', { description: '人行道破损', cameraId: CROSSROADS });
    expect(patrol.status).toBe(400);
    expect(patrol.json.error.details).toContainEqual(expect.objectContaining({ path: 'cameraId' }));
  });

  it('is not a citizen\'s channel: 403, with or without a camera, and nothing is created', async () => {
    for (const body of [
      { description: '路灯不亮', channel: 'video', location: { lat: 26.879, lng: 112.613 } },
      { description: '路灯不亮', channel: 'video', cameraId: CROSSROADS },
      { description: '路灯不亮', channel: 'video', cameraId: 'no-such-camera' },
    ]) {
      const refused = await call('citizen', 'POST', '/v1/cases', body);
      expect(refused.status).toBe(403);
      expect(refused.json.error.message).toBe('仅监督员可上报视频巡查案件');
    }
    // A camera is a supervisor's: a citizen's cameraId is not even looked up.
    const withCamera = await call('citizen', 'POST', '/v1/cases', { description: '路灯不亮', cameraId: CROSSROADS, location: { lat: 26.879, lng: 112.613 } });
    expect(withCamera.status).toBe(400);
    expect((await call('citizen', 'GET', '/v1/me/cases')).json.items).toEqual([]);
    // A citizen still reports without a place no more than before.
    expect((await call('citizen', 'POST', '/v1/cases', { description: '路灯不亮' })).status).toBe(400);
  });

  it('counts a supervisor\'s video reports as their reports, and a filed one as valid (position evaluation)', async () => {
    // This file's supervisor reports: three video reports and one patrol report above.
    expect((await call('agent', 'POST', `/v1/cases/${firstVideoCase}/file`, { categoryCode: 'E0503', expectedVersion: 1 })).status).toBe(200);
    const stats = await call('leader', 'GET', '/v1/stats/staff?role=supervisor');
    expect(stats.status).toBe(200);
    expect(stats.json.items.find((i: { userId: string }) => i.userId === tokens.supervisor!.id)).toMatchObject({ reported: 4, validReports: 1 });
  });
});
