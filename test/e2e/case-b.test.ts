import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingHours, DEFAULT_CALENDAR } from '#shared/domain/calendar';
import { loginAs } from '../support/auth.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<string, { token: string; id: string }> = {};
const PEOPLE = {
  supervisor: '+8613800000003',
  agent: '+8613800000002',
  cityDispatcher: '+8613800000004',
  districtDispatcher: '+8613800000005',
  handler: '+8613800000007',
} as const;

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const [who, phone] of Object.entries(PEOPLE)) {
    const session = await loginAs(platform.url, phone);
    tokens[who] = { token: session.accessToken, id: session.user.id };
  }
});
afterAll(async () => platform?.stop());

const call = callAs(() => platform, tokens);

describe('Case B replayed over HTTP: clothes hung along the street, 3 h 29 min end to end', () => {
  it('goes report → file → dispatch ×3 → complete → verify → closed with every step accountable', async () => {
    // 11:44 the supervisor reports from video patrol at a crossroads in Yanfeng district.
    const before = await uploadPhoto(platform, tokens.supervisor!.token, 'before', await jpegWithGps());
    const reported = await call('supervisor', 'POST', '/v1/cases', {
      description: '十字路口沿街晾挂衣物，影响市容（视频巡查发现）',
      location: { lat: 26.879, lng: 112.613 },
      address: '雁峰区雁峰街道当家村社区十字路口',
      photoKeys: [before.photoKey],
    });
    expect(reported.status).toBe(201);
    const id = reported.json.case.id;
    expect(reported.json.case).toMatchObject({ status: 'reported', channel: 'patrol', gridId: 'yanfeng-dangjiacun', gridName: '当家村社区' });

    // The agent signs, judges it valid and files it as 沿街晾挂: a case number is assigned.
    const filed = await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0503', note: '符合立案标准', expectedVersion: 1 });
    expect(filed.status).toBe(200);
    expect(filed.json.case).toMatchObject({ status: 'filed', categoryName: '沿街晾挂', caseNumber: expect.stringMatching(/^\d{4}-\d{6}$/) });
    expect(filed.json.case.caseNumberLabel).toMatch(/^【\d{4}】字第【\d+】号$/);

    // Dispatched to the city bureau (by location: the agent names no target) …
    const toCity = await call('agent', 'POST', `/v1/cases/${id}/dispatch`, {});
    expect(toCity.status).toBe(200);
    expect(toCity.json.case.assignment).toMatchObject({ departmentId: 'city-bureau', departmentName: '市城管执法局' });
    const firstDispatchAt = new Date(toCity.json.case.updatedAt);
    // … due one working day (7 working hours) after the first dispatch.
    expect(toCity.json.case.dueAt).toBe(addWorkingHours(DEFAULT_CALENDAR, firstDispatchAt, 7).toISOString());

    // … which dispatches to the district bureau …
    const toDistrict = await call('cityDispatcher', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-district-bureau' });
    expect(toDistrict.status).toBe(200);
    expect(toDistrict.json.case.assignment.departmentId).toBe('yanfeng-district-bureau');

    // … which dispatches by location to the street brigade handler's mobile office.
    const toHandler = await call('districtDispatcher', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: tokens.handler!.id });
    expect(toHandler.status).toBe(200);
    expect(toHandler.json.case.assignment).toMatchObject({ departmentId: 'yanfeng-street-brigade', departmentName: '雁峰街道城管大队', assigneeId: tokens.handler!.id });
    expect(toHandler.json.case.dueAt).toBe(toCity.json.case.dueAt); // the clock started at the first dispatch

    // 15:01 the handler finishes and uploads the after photo from the field app.
    const after = await uploadPhoto(platform, tokens.handler!.token, 'after', await jpegWithGps());
    const handled = await call('handler', 'POST', `/v1/cases/${id}/complete`, { note: '已劝导商户收回晾晒衣物', photoKeys: [after.photoKey] });
    expect(handled.status).toBe(200);
    expect(handled.json.case.status).toBe('handled');

    // 15:13 the agent compares before and after photos and closes the case.
    const closed = await call('agent', 'POST', `/v1/cases/${id}/verify`, { approved: true, note: '前后照片对比，问题已解决' });
    expect(closed.status).toBe(200);
    expect(closed.json.case).toMatchObject({ status: 'closed', overdue: false });
    expect(closed.json.case.closedAt).toBeDefined();

    // Every stage's responsible person, role and time is on the timeline.
    const detail = await call('agent', 'GET', `/v1/cases/${id}`);
    expect(detail.status).toBe(200);
    const steps = detail.json.timeline.map((e: { action: string; actor: { role: string; displayName: string }; toStatus: string; departmentId?: string }) => [
      e.action,
      e.actor.role,
      e.actor.displayName,
      e.toStatus,
      e.departmentId,
    ]);
    expect(steps).toEqual([
      ['report', 'supervisor', '监督员 李强', 'reported', undefined],
      ['file', 'agent', '坐席员 王敏', 'filed', undefined],
      ['dispatch', 'agent', '坐席员 王敏', 'dispatched', 'city-bureau'],
      ['dispatch', 'dispatcher', '市局派遣员 张华', 'dispatched', 'yanfeng-district-bureau'],
      ['dispatch', 'dispatcher', '雁峰区局派遣员 刘洋', 'dispatched', 'yanfeng-street-brigade'],
      ['complete', 'handler', '处置人员 赵磊', 'handled', undefined],
      ['close', 'agent', '坐席员 王敏', 'closed', undefined],
    ]);
    for (const event of detail.json.timeline) expect(Date.parse(event.at)).not.toBeNaN();
    expect(detail.json.photos.before).toEqual([{ photoKey: before.photoKey, url: expect.stringContaining('clean/'), thumbnailUrl: expect.stringContaining('thumbs/') }]);
    expect(detail.json.photos.after).toEqual([{ photoKey: after.photoKey, url: expect.stringContaining('clean/'), thumbnailUrl: expect.stringContaining('thumbs/') }]);
  });
});

describe("Case A's shape: a citizen's report, closed, then rated", () => {
  it('lets the reporter follow it in "my cases", see no internal notes, and rate it once', async () => {
    const citizen = await loginAs(platform.url, '13912300001', 'register', { displayName: '市民张女士' });
    tokens.citizen = { token: citizen.accessToken, id: citizen.user.id };
    const reported = await call('citizen', 'POST', '/v1/cases', {
      description: '楼顶灯光招牌太亮，一直亮到晚上11点左右，影响休息',
      location: { lat: 26.879, lng: 112.613 },
      channel: 'app',
    });
    expect(reported.status).toBe(201);
    const id = reported.json.case.id;
    await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0107', note: 'internal: 亮化扰民，派区局' });
    await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: tokens.handler!.id });
    const after = await uploadPhoto(platform, tokens.handler!.token, 'after', await jpegWithGps());
    await call('handler', 'POST', `/v1/cases/${id}/complete`, { photoKeys: [after.photoKey] });
    expect((await call('agent', 'POST', `/v1/cases/${id}/verify`, { approved: true })).json.case.status).toBe('closed');

    const mine = await call('citizen', 'GET', '/v1/me/cases');
    expect(mine.json.items[0]).toMatchObject({ id, status: 'closed' });
    const detail = await call('citizen', 'GET', `/v1/cases/${id}`);
    expect(detail.json.timeline.find((e: { action: string }) => e.action === 'file').note).toBeUndefined();
    expect(detail.json.timeline.every((e: { actor: { id?: string } }) => e.actor.id === undefined)).toBe(true);
    expect(detail.json.case.assignment.assigneeId).toBeUndefined();

    const rated = await call('citizen', 'POST', `/v1/cases/${id}/rating`, { satisfied: true, score: 5, comment: '处理很及时，点赞' });
    expect(rated.status).toBe(200);
    expect(rated.json.case.rating).toMatchObject({ satisfied: true, score: 5 });
    const again = await call('citizen', 'POST', `/v1/cases/${id}/rating`, { satisfied: false });
    expect(again.status).toBe(409);
  });
});
