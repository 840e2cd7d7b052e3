import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '#shared/domain/geo/coordinates';
import { missingCalendarYear } from '#shared/domain/calendar';
import { checkCalendar } from '#functions/ops/check-calendar';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let admin: string;
let citizen: string;
beforeAll(async () => {
  platform = await startTestPlatform();
  admin = (await loginAs(platform.url, '+8613800000001')).accessToken;
  citizen = (await loginAs(platform.url, '13912345001', 'register')).accessToken;
});
afterAll(async () => platform?.stop());

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const put = (token: string, body: unknown) => ({ method: 'PUT', headers: { ...auth(token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
const dangjia = (coordinates: number[][][]) => ({
  type: 'Feature',
  properties: { name: '当家村社区', community: '当家村社区', street: '雁峰街道', district: '雁峰区' },
  geometry: { type: 'Polygon', coordinates },
});

describe('reference data over HTTP', () => {
  it('locates the demo point in 当家村社区 / 雁峰街道 / 雁峰区, also from GCJ-02 input', async () => {
    const located = await platform.api('/v1/grids/locate?lat=26.8790&lng=112.6130', { headers: auth(citizen) });
    expect(located.status).toBe(200);
    expect(located.json).toEqual({ gridId: 'yanfeng-dangjiacun', name: '当家村社区', community: '当家村社区', street: '雁峰街道', district: '雁峰区' });
    const gcj = wgs84ToGcj02(26.879, 112.613);
    const fromWeChat = await platform.api(`/v1/grids/locate?lat=${gcj.lat}&lng=${gcj.lng}&coordSystem=GCJ02`, { headers: auth(citizen) });
    expect(fromWeChat.json.gridId).toBe('yanfeng-dangjiacun');
  });

  it('answers 404 for a point in the sea, 400 for a bad coordinate, 401 without a token', async () => {
    expect((await platform.api('/v1/grids/locate?lat=20.0&lng=115.0', { headers: auth(citizen) })).status).toBe(404);
    const bad = await platform.api('/v1/grids/locate?lat=95&lng=abc', { headers: auth(citizen) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['query.lat', 'query.lng']);
    expect((await platform.api('/v1/grids/locate?lat=26.879&lng=112.613')).status).toBe(401);
  });

  it('lets an admin replace a grid polygon and locate follows at once', async () => {
    // Move 当家村社区 to an empty area south of the demo city.
    const moved = [[[112.60, 26.80], [112.61, 26.80], [112.61, 26.81], [112.60, 26.81], [112.60, 26.80]]];
    const response = await platform.api('/v1/admin/grids/yanfeng-dangjiacun', put(admin, dangjia(moved)));
    expect(response.status).toBe(200);
    expect((await platform.api('/v1/grids/locate?lat=26.805&lng=112.605', { headers: auth(citizen) })).json.gridId).toBe('yanfeng-dangjiacun');
    expect((await platform.api('/v1/grids/locate?lat=26.8790&lng=112.6130', { headers: auth(citizen) })).status).toBe(404);
  });

  it('refuses a non-admin PUT with 403 and leaves the grid alone', async () => {
    const before = (await platform.api('/v1/grids/locate?lat=26.805&lng=112.605', { headers: auth(citizen) })).json;
    const response = await platform.api('/v1/admin/grids/yanfeng-dangjiacun', put(citizen, dangjia([[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]])));
    expect(response.status).toBe(403);
    expect((await platform.api('/v1/grids/locate?lat=26.805&lng=112.605', { headers: auth(citizen) })).json).toEqual(before);
  });

  it('refuses an invalid polygon with field details', async () => {
    const bowTie = [[[112.6, 26.8], [112.61, 26.81], [112.6, 26.81], [112.61, 26.8], [112.6, 26.8]]];
    const response = await platform.api('/v1/admin/grids/new-grid', put(admin, dangjia(bowTie)));
    expect(response.status).toBe(400);
    expect(response.json.error.details).toEqual([{ path: 'geometry.coordinates', message: expect.stringContaining('intersects itself') }]);
  });

  it('lists departments and the catalogue, and lets an admin edit both with checks', async () => {
    const departments = await platform.api('/v1/departments', { headers: auth(citizen) });
    expect(departments.json.find((d: { id: string }) => d.id === 'yanfeng-street-brigade')).toMatchObject({ parentId: 'yanfeng-district-bureau', level: 3 });
    const categories = await platform.api('/v1/categories', { headers: auth(citizen) });
    expect(categories.json.find((c: { name: string }) => c.name === '沿街晾挂')).toMatchObject({ group: 'event', timeLimit: { workingHours: 7 } });

    const cycle = await platform.api('/v1/admin/departments/yanfeng-district-bureau', put(admin, { name: '雁峰区城管执法局', parentId: 'yanfeng-street-brigade', type: 'district-bureau' }));
    expect(cycle.status).toBe(400);
    const unknownDept = await platform.api('/v1/admin/categories/E9901', put(admin, { name: '测试', group: 'event', majorClass: '市容环境', timeLimit: { workingHours: 7 }, defaultDepartmentId: 'nowhere' }));
    expect(unknownDept.status).toBe(400);
    const added = await platform.api('/v1/admin/categories/E9901', put(admin, { name: '共享单车乱停放', group: 'event', majorClass: '道路交通', timeLimit: { workingHours: 4 } }));
    expect(added.status).toBe(200);
    const after = await platform.api('/v1/categories', { headers: auth(citizen) });
    expect(after.json.find((c: { code: string }) => c.code === 'E9901')).toMatchObject({ name: '共享单车乱停放', timeLimit: { workingHours: 4 } });
  });
});

describe("the working calendar's years (GET /v1/admin/calendar, /v1/admin/calendar/{year}) and the daily check", () => {
  const get = (path: string, token: string, language?: string) => platform.api(path, { headers: { ...auth(token), ...(language ? { 'accept-language': language } : {}) } });
  const metricOf = async (at: string) => {
    const lines: string[] = [];
    const result = await checkCalendar(new Date(at), (l) => lines.push(l));
    return { ...result, value: JSON.parse(lines[0]!).CalendarYearMissing };
  };

  it('flags next year from December 1 until an admin sets it; the daily check publishes the same as 1, then 0', async () => {
    const before = await get('/v1/admin/calendar', admin);
    expect(before.status).toBe(200);
    expect(before.json.items.map((y: { year: number; source: string }) => [y.year, y.source])).toEqual([[2026, 'stored']]); // the demo city's calendar.json
    expect(before.json.missingYear).toBe(missingCalendarYear(new Date(), [2026]) ?? null);
    expect(await metricOf('2026-11-30T23:59:59+08:00')).toEqual({ missingYear: null, value: 0 });
    expect(await metricOf('2026-12-01T00:00:00+08:00')).toEqual({ missingYear: 2027, value: 1 });

    const missing = await get('/v1/admin/calendar/2027', admin);
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'NOT_FOUND', message: '2027 年节假日日历尚未配置：未配置前，节假日按工作日计算时限' });
    expect((await get('/v1/admin/calendar/2027', admin, 'en')).json.error.message).toBe('The calendar of 2027 is not set: its holidays count as working days');

    const year = { holidays: ['2027-01-01', '2027-02-06'], workdays: ['2027-02-13'] };
    expect((await platform.api('/v1/admin/calendar/2027', put(admin, year))).status).toBe(200);
    expect((await get('/v1/admin/calendar/2027', admin)).json).toEqual({ year: 2027, ...year, source: 'stored', version: 1, updatedAt: expect.any(String), updatedBy: { id: expect.any(String), displayName: expect.any(String) } });
    const after = await get('/v1/admin/calendar', admin);
    expect(after.json.items.map((y: { year: number }) => y.year)).toEqual([2026, 2027]);
    expect(after.json.missingYear).toBe(missingCalendarYear(new Date(), [2026, 2027]) ?? null);
    expect(await metricOf('2026-12-01T00:00:00+08:00')).toEqual({ missingYear: null, value: 0 });
    expect(await metricOf('2027-12-01T00:00:00+08:00')).toEqual({ missingYear: 2028, value: 1 });
  });

  it('is for admins only, and checks the year', async () => {
    expect((await get('/v1/admin/calendar', citizen)).status).toBe(403);
    expect((await get('/v1/admin/calendar/2026', citizen)).status).toBe(403);
    expect((await platform.api('/v1/admin/calendar')).status).toBe(401);
    expect((await get('/v1/admin/calendar/1999', admin)).status).toBe(400);
  });
});
