import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<'admin' | 'agent' | 'cityDispatcher' | 'districtDispatcher' | 'streetDispatcher' | 'handler' | 'leader', string> = {} as never;
let handlerId: string;
beforeAll(async () => {
  platform = await startTestPlatform();
  const phones = { admin: '01', agent: '02', cityDispatcher: '04', districtDispatcher: '05', streetDispatcher: '06', handler: '07', leader: '08' } as const;
  for (const [name, suffix] of Object.entries(phones)) {
    const session = await loginAs(platform.url, `+86138000000${suffix}`);
    tokens[name as keyof typeof tokens] = session.accessToken;
    if (name === 'handler') handlerId = session.user.id;
  }
});
afterAll(async () => platform?.stop());

const auth = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });
const send = (method: string, token: string | undefined, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { 'content-type': 'application/json', ...(token ? auth(token) : {}), ...headers },
  body: JSON.stringify(body),
});
const refresh = (refreshToken: string) => platform.api('/v1/auth/refresh', send('POST', undefined, { refreshToken }));

/** Waits (up to 5 s) until the auth caches have let go of an account or session: its token then gets 401. */
async function until401(token: string) {
  for (let i = 0; i < 50; i++) {
    const me = await platform.api('/v1/me', { headers: auth(token) });
    if (me.status === 401) return me;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the token kept working');
}

describe('sessions over HTTP', () => {
  it('rotates refresh tokens; the spent one ends the session; logout ends it too', async () => {
    const registered = (await loginAs(platform.url, '13912340001', 'register')) as { accessToken: string; refreshToken: string; user: { id: string } };
    expect(registered.refreshToken).toEqual(expect.any(String));
    const first = await refresh(registered.refreshToken);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ accessToken: expect.any(String), expiresIn: 43_200, refreshToken: expect.any(String) });
    expect((await platform.api('/v1/me', { headers: auth(first.json.accessToken) })).json.user.id).toBe(registered.user.id);
    const second = await refresh(first.json.refreshToken);
    expect(second.status).toBe(200);
    const replay = await refresh(first.json.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.json.error.code).toBe('UNAUTHENTICATED');
    expect((await refresh(second.json.refreshToken)).status).toBe(401); // the whole family ended
    // Its access tokens too (within SESSION_CHECK_SECONDS, 1 s here), every one of the family.
    for (const token of [registered.accessToken, first.json.accessToken, second.json.accessToken]) {
      expect((await until401(token)).json.error.message).toBe('登录状态已失效，请重新登录');
    }

    const again = (await loginAs(platform.url, '13912340001')) as { accessToken: string; refreshToken: string };
    expect((await platform.api('/v1/me', { headers: auth(again.accessToken) })).status).toBe(200);
    const out = await platform.api('/v1/auth/logout', send('POST', again.accessToken, { refreshToken: again.refreshToken }));
    expect(out.status).toBe(204);
    expect((await refresh(again.refreshToken)).status).toBe(401);
    await until401(again.accessToken);
  });

  it('lets one of two parallel refreshes with the same token win and revokes the family', async () => {
    const session = (await loginAs(platform.url, '13912340002', 'register')) as { refreshToken: string };
    const [a, b] = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = a.status === 200 ? a : b;
    expect((await refresh(winner.json.refreshToken)).status).toBe(401);
  });
});

describe('staff directory and staff changes over HTTP', () => {
  it('lists the street brigade\'s people for its dispatcher, and everyone for the agent', async () => {
    const street = await platform.api('/v1/staff', { headers: auth(tokens.streetDispatcher) });
    expect(street.status).toBe(200);
    expect(street.json.items.map((i: { displayName: string }) => i.displayName).sort()).toEqual(['处置人员 赵磊', '雁峰街道大队派遣员 陈静'].sort());
    expect(street.json.items.find((i: { id: string }) => i.id === handlerId)).toEqual({
      id: handlerId,
      displayName: '处置人员 赵磊',
      roles: ['handler'],
      departmentId: 'yanfeng-street-brigade',
      departmentName: '雁峰街道城管大队',
      status: 'active',
    });
    const handlers = await platform.api(`/v1/staff?role=handler&q=${encodeURIComponent('赵磊')}`, { headers: auth(tokens.agent) });
    expect(handlers.json.items.map((i: { id: string }) => i.id)).toEqual([handlerId]);
    expect((await platform.api('/v1/staff?departmentId=city-bureau', { headers: auth(tokens.streetDispatcher) })).status).toBe(403);
    expect((await platform.api('/v1/staff', { headers: auth(tokens.leader) })).status).toBe(403);
  });

  it('disables a staff account: its refresh fails at once, its access token within the auth cache', async () => {
    const created = await platform.api('/v1/admin/staff', send('POST', tokens.admin, { phone: '13700000088', displayName: '处置人员 钱多', roles: ['handler'], departmentId: 'yanfeng-street-brigade' }));
    expect(created.status).toBe(201);
    const person = (await loginAs(platform.url, '13700000088')) as { accessToken: string; refreshToken: string };
    const renamed = await platform.api(`/v1/admin/staff/${created.json.user.id}`, send('PATCH', tokens.admin, { displayName: '处置人员 钱多多', gridIds: ['yanfeng-dangjiacun'] }));
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ displayName: '处置人员 钱多多', gridIds: ['yanfeng-dangjiacun'], status: 'active' });
    expect((await platform.api(`/v1/admin/staff/${created.json.user.id}`, send('PATCH', tokens.agent, { status: 'disabled' }))).status).toBe(403);
    expect((await platform.api(`/v1/admin/staff/${created.json.user.id}`, send('PATCH', tokens.admin, {}))).status).toBe(400);

    const disabled = await platform.api(`/v1/admin/staff/${created.json.user.id}`, send('PATCH', tokens.admin, { status: 'disabled' }));
    expect(disabled.json.status).toBe('disabled');
    expect((await refresh(person.refreshToken)).status).toBe(401);
    expect((await until401(person.accessToken)).json.error.code).toBe('UNAUTHENTICATED');

    // Enabled again: the old session's token never works again (the person logs in anew).
    expect((await platform.api(`/v1/admin/staff/${created.json.user.id}`, send('PATCH', tokens.admin, { status: 'active' }))).json.status).toBe('active');
    await new Promise((r) => setTimeout(r, 1500)); // past AUTH_USER_CACHE_SECONDS=1: the enabled account is what the check reads
    const old = await platform.api('/v1/me', { headers: auth(person.accessToken) });
    expect(old.status).toBe(401);
    expect(old.json.error.message).toBe('登录状态已失效，请重新登录');
  });

  it('refuses to take the role or the account of the only active admin (409, zh-CN and en)', async () => {
    const me = (await platform.api('/v1/me', { headers: auth(tokens.admin) })).json.user;
    const demote = await platform.api(`/v1/admin/staff/${me.id}`, send('PATCH', tokens.admin, { roles: ['leader'] }));
    expect(demote.status).toBe(409);
    expect(demote.json.error).toMatchObject({ code: 'LAST_ADMIN', message: '这是系统中唯一启用的管理员，不能取消其管理员角色或停用该账号；请先为其他人员授予管理员角色' });
    const disable = await platform.api(`/v1/admin/staff/${me.id}`, send('PATCH', tokens.admin, { status: 'disabled' }, { 'accept-language': 'en' }));
    expect(disable.status).toBe(409);
    expect(disable.json.error.message).toBe('This is the only active administrator: make someone else an administrator before removing this role or disabling the account');
    expect((await platform.api('/v1/me', { headers: auth(tokens.admin) })).json.user).toMatchObject({ roles: ['admin'] });
  });
});

describe('grids over HTTP', () => {
  it('pages through the grids for staff, and refuses citizens', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await platform.api(`/v1/grids?limit=5${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth(tokens.agent) });
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.json.items.map((g: { id: string }) => g.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(16);
    expect(new Set(seen).size).toBe(16);
    const first = await platform.api('/v1/grids?limit=100', { headers: auth(tokens.agent) });
    expect(first.json.items.find((g: { id: string }) => g.id === 'yanfeng-dangjiacun')).toMatchObject({ id: 'yanfeng-dangjiacun', name: '当家村社区', community: '当家村社区', street: '雁峰街道', district: '雁峰区' });
    expect((await platform.api('/v1/grids?cursor=bogus', { headers: auth(tokens.agent) })).status).toBe(400);
    const citizen = (await loginAs(platform.url, '13912340003', 'register')).accessToken;
    expect((await platform.api('/v1/grids', { headers: auth(citizen) })).status).toBe(403);
    const map = await platform.api('/v1/grids/geojson', { headers: auth(citizen) });
    expect(map.status).toBe(200);
    expect(map.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(map.json.type).toBe('FeatureCollection');
    expect(map.json.features).toHaveLength(16);
    const dangjia = map.json.features.find((f: { id: string }) => f.id === 'yanfeng-dangjiacun');
    expect(dangjia.properties).toMatchObject({ id: 'yanfeng-dangjiacun', name: '当家村社区', community: '当家村社区', street: '雁峰街道', district: '雁峰区' });
    const ring = dangjia.geometry.type === 'Polygon' ? dangjia.geometry.coordinates[0] : dangjia.geometry.coordinates[0][0];
    expect(ring.length).toBeGreaterThanOrEqual(4);
    expect(ring[0]).toEqual(ring.at(-1));
    expect((await platform.api('/v1/grids/geojson')).status).toBe(401);
  });
});

describe('a case by number, names on the timeline, the calendar', () => {
  let caseId: string;
  let caseNumber: string;
  let citizen: { accessToken: string; user: { id: string; phone: string } };

  beforeAll(async () => {
    citizen = (await loginAs(platform.url, '13912340004', 'register', { displayName: '市民 小赵' })) as typeof citizen;
    const reported = await platform.api('/v1/cases', send('POST', citizen.accessToken, { description: '沿街晾晒衣物', location: { lat: 26.879, lng: 112.613 } }));
    expect(reported.status).toBe(201);
    caseId = reported.json.case.id;
    const filed = await platform.api(`/v1/cases/${caseId}/file`, send('POST', tokens.agent, { categoryCode: 'E0503' }));
    expect(filed.status).toBe(200);
    caseNumber = filed.json.case.caseNumber;
  });

  it('finds the case by its number and by its label through the index, within the caller\'s scope', async () => {
    const byNumber = await platform.api(`/v1/cases?caseNumber=${caseNumber}`, { headers: auth(tokens.agent) });
    expect(byNumber.status).toBe(200);
    expect(byNumber.json.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    const [year, sequence] = caseNumber.split('-');
    const label = `【${year}】字第【${Number(sequence)}】号`;
    const byLabel = await platform.api(`/v1/cases?caseNumber=${encodeURIComponent(label)}`, { headers: auth(tokens.agent) });
    expect(byLabel.json.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    expect((await platform.api(`/v1/cases?caseNumber=${year}-999999`, { headers: auth(tokens.agent) })).json.items).toEqual([]);
    expect((await platform.api(`/v1/cases?caseNumber=${caseNumber}`, { headers: auth(tokens.streetDispatcher) })).json.items).toEqual([]); // not yet theirs
    const bad = await platform.api('/v1/cases?caseNumber=abc', { headers: auth(tokens.agent) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe('query.caseNumber');
  });

  it('names the department and the assignee on dispatch events for staff, only the department for the reporter', async () => {
    const dispatched = await platform.api(`/v1/cases/${caseId}/dispatch`, send('POST', tokens.agent, { departmentId: 'yanfeng-street-brigade', assigneeId: handlerId }));
    expect(dispatched.status).toBe(200);
    const staffView = await platform.api(`/v1/cases/${caseId}`, { headers: auth(tokens.agent) });
    const event = staffView.json.timeline.find((e: { action: string }) => e.action === 'dispatch');
    expect(event).toMatchObject({ departmentId: 'yanfeng-street-brigade', departmentName: '雁峰街道城管大队', assigneeId: handlerId, assigneeName: '处置人员 赵磊' });
    const reporterView = await platform.api(`/v1/cases/${caseId}`, { headers: auth(citizen.accessToken) });
    const seen = reporterView.json.timeline.find((e: { action: string }) => e.action === 'dispatch');
    expect(seen.departmentName).toBe('雁峰街道城管大队');
    expect(seen.assigneeName).toBeUndefined();
    expect(seen.assigneeId).toBeUndefined();
    expect((await platform.api(`/v1/cases?caseNumber=${caseNumber}`, { headers: auth(tokens.streetDispatcher) })).json.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
  });

  it('stores a year of the working calendar (admin only), refusing bad dates in Chinese or English', async () => {
    const stored = await platform.api('/v1/admin/calendar/2027', send('PUT', tokens.admin, { holidays: ['2027-01-01', '2027-02-06'], workdays: ['2027-02-13'] }));
    expect(stored.status).toBe(200);
    expect(stored.json).toEqual({ year: 2027, holidays: ['2027-01-01', '2027-02-06'], workdays: ['2027-02-13'], version: 1, updatedAt: expect.any(String), updatedBy: { id: expect.any(String), displayName: '系统管理员' } });
    expect((await platform.api('/v1/admin/calendar/2027', send('PUT', tokens.agent, { holidays: [], workdays: [] }))).status).toBe(403);
    const wrongYear = await platform.api('/v1/admin/calendar/2027', send('PUT', tokens.admin, { holidays: ['2028-01-01'], workdays: [] }));
    expect(wrongYear.status).toBe(400);
    expect(wrongYear.json.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '工作日历不正确', details: [{ path: 'holidays.0', message: '2028-01-01 is not in 2027' }] });
    const badDate = await platform.api('/v1/admin/calendar/2027', send('PUT', tokens.admin, { holidays: ['2027-02-30'], workdays: [] }, { 'accept-language': 'en' }));
    expect(badDate.status).toBe(400);
    expect(badDate.json.error.message).toBe('The request is not valid');
  });

  it('exports the citizen\'s data, cancels the account; the phone registers again and the old case shows nobody', async () => {
    const exported = await platform.api('/v1/me/export', { headers: auth(citizen.accessToken) });
    expect(exported.status).toBe(200);
    expect(exported.json.account).toMatchObject({ id: citizen.user.id, phone: '+8613912340004', displayName: '市民 小赵' });
    expect(exported.json.cases.map((c: { id: string }) => c.id)).toEqual([caseId]);
    expect(exported.json.ratings).toEqual([]);

    expect((await platform.api('/v1/me', { method: 'DELETE', headers: auth(tokens.agent) })).status).toBe(403); // citizens only
    const cancelled = await platform.api('/v1/me', { method: 'DELETE', headers: auth(citizen.accessToken) });
    expect(cancelled.status).toBe(204);
    await until401(citizen.accessToken);

    const again = await loginAs(platform.url, '13912340004', 'register');
    expect(again.user.id).not.toBe(citizen.user.id);
    expect((await platform.api('/v1/me/cases', { headers: auth(again.accessToken) })).json.items).toEqual([]);
    const old = await platform.api(`/v1/cases/${caseId}`, { headers: auth(tokens.agent) });
    expect(old.status).toBe(200);
    expect(old.json.case.reporterId).toBeUndefined();
    expect(old.json.timeline[0].actor).toEqual({ role: 'citizen', displayName: '已注销用户' });
    expect(JSON.stringify(old.json)).not.toContain(citizen.user.id);
    expect(JSON.stringify(old.json)).not.toContain('小赵');
  });
});

describe('error messages follow Accept-Language', () => {
  it('answers a wrong code in Chinese by default and in English on request, with the same code', async () => {
    await platform.api('/v1/auth/sms-codes', send('POST', undefined, { phone: '+8613800000008', purpose: 'login' }));
    const code = await latestCode(platform.url, '+8613800000008').catch(() => '000000');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const zh = await platform.api('/v1/auth/login', send('POST', undefined, { phone: '+8613800000008', code: wrong }));
    const en = await platform.api('/v1/auth/login', send('POST', undefined, { phone: '+8613800000008', code: wrong }, { 'accept-language': 'en-US,en;q=0.9' }));
    expect(zh.status).toBe(401);
    expect(en.status).toBe(401);
    expect(zh.json.error).toMatchObject({ code: 'UNAUTHENTICATED', message: '验证码错误或已过期' });
    expect(en.json.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The verification code is wrong or has expired' });
    const invalid = await platform.api('/v1/auth/login', send('POST', undefined, { phone: 'x', code: '1' }));
    expect(invalid.json.error.message).toBe('请求参数不正确');
    expect(invalid.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['code', 'phone']);
  });
});

describe('statistics defaults and scopes over HTTP', () => {
  it('defaults to the current month, refuses an unknown scope, and keeps a dispatcher within its subtree', async () => {
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const summary = await platform.api('/v1/stats/summary', { headers: auth(tokens.leader) });
    expect(summary.status).toBe(200);
    expect(summary.json).toMatchObject({ scope: 'city', from: `${month}-01` });
    expect(summary.json.to.slice(0, 7)).toBe(month);
    expect(Number(summary.json.to.slice(8))).toBeGreaterThanOrEqual(28);
    expect(summary.json.received).toBeGreaterThanOrEqual(1); // the case reported above

    const unknown = await platform.api(`/v1/stats/summary?scope=${encodeURIComponent('department#no-such')}`, { headers: auth(tokens.leader) });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('VALIDATION_FAILED');
    expect((await platform.api(`/v1/stats/summary?scope=${encodeURIComponent('grid#nowhere')}`, { headers: auth(tokens.leader) })).status).toBe(400);
    expect((await platform.api('/v1/stats/summary?scope=planet', { headers: auth(tokens.leader) })).status).toBe(400);

    // The trend: every day of the current month by default, each with the summary's figures; a quarter at most.
    const trend = await platform.api('/v1/stats/trend', { headers: auth(tokens.leader) });
    expect(trend.status).toBe(200);
    expect(trend.json).toMatchObject({ scope: 'city', from: summary.json.from, to: summary.json.to });
    expect(trend.json.days).toHaveLength(Number(summary.json.to.slice(8)));
    expect(trend.json.days[0].day).toBe(`${month}-01`);
    expect(trend.json.days.reduce((sum: number, d: { received: number }) => sum + d.received, 0)).toBe(summary.json.received);
    const tooLong = await platform.api('/v1/stats/trend?from=2026-01-01&to=2026-06-30', { headers: auth(tokens.leader) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error.details).toEqual([{ path: 'query.to', message: 'At most 92 days' }]);
    expect((await platform.api('/v1/stats/trend?scope=city', { headers: auth(tokens.districtDispatcher) })).status).toBe(403);
    expect((await platform.api('/v1/stats/trend', { headers: auth(tokens.handler) })).status).toBe(403);

    const own = await platform.api('/v1/stats/summary', { headers: auth(tokens.districtDispatcher) });
    expect(own.status).toBe(200);
    expect(own.json.scope).toBe('department#yanfeng-district-bureau');
    expect((await platform.api(`/v1/stats/summary?scope=${encodeURIComponent('department#yanfeng-street-brigade')}`, { headers: auth(tokens.districtDispatcher) })).status).toBe(200);
    expect((await platform.api('/v1/stats/summary?scope=city', { headers: auth(tokens.districtDispatcher) })).status).toBe(403);
    const departments = await platform.api('/v1/stats/departments', { headers: auth(tokens.districtDispatcher) });
    expect(departments.status).toBe(200);
    const ids = departments.json.items.map((d: { departmentId: string }) => d.departmentId);
    expect(ids).toContain('yanfeng-street-brigade');
    expect(ids).not.toContain('city-bureau');
    expect(ids).not.toContain('zhuhui-district-bureau');

    // 岗位评价: the leader reads every person of a post; the post is required; others may not read it.
    const supervisors = await platform.api('/v1/stats/staff?role=supervisor', { headers: auth(tokens.leader) });
    expect(supervisors.status).toBe(200);
    expect(supervisors.json).toMatchObject({ role: 'supervisor', from: `${month}-01` });
    expect(supervisors.json.items).toEqual([expect.objectContaining({ displayName: '监督员 李强', departmentName: expect.any(String), reported: expect.any(Number), validReportRate: expect.toBeOneOf([null, expect.any(Number)]) })]);
    expect((await platform.api('/v1/stats/staff', { headers: auth(tokens.leader) })).status).toBe(400);
    // Handlers are a post too since the on-duty work (minutes on duty); a citizen is not.
    expect((await platform.api('/v1/stats/staff?role=handler', { headers: auth(tokens.leader) })).status).toBe(200);
    expect((await platform.api('/v1/stats/staff?role=citizen', { headers: auth(tokens.leader) })).status).toBe(400);
    expect((await platform.api('/v1/stats/staff?role=agent', { headers: auth(tokens.agent) })).status).toBe(403);
    expect((await platform.api('/v1/stats/staff?role=dispatcher', { headers: auth(tokens.districtDispatcher) })).status).toBe(403);
  });
});
