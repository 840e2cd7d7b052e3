import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

/**
 * The container that ends a session or cancels an account refuses its tokens at once, however long its
 * caches (here the longest allowed, 60 s: the local platform is one container, so nothing else could
 * refuse them in time). Other containers follow within the caches' max age (test/e2e/sessions-directory).
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let agent: string;
beforeAll(async () => {
  platform = await startTestPlatform({ env: { AUTH_USER_CACHE_SECONDS: '60', SESSION_CHECK_SECONDS: '60' } });
  agent = (await loginAs(platform.url, '+8613800000002')).accessToken;
});
afterAll(async () => platform?.stop());

const call = (token: string, method: string, path: string, body?: unknown) =>
  platform.api(path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

describe('ended sessions end at once where they were ended', () => {
  it('refuses the access token of a logged-out session on the next request', async () => {
    const session = await loginAs(platform.url, '13912350001', 'register');
    const other = await loginAs(platform.url, '13912350001', 'login'); // the same person on another device
    expect((await call(session.accessToken, 'GET', '/v1/me')).status).toBe(200); // cached now
    expect((await call(session.accessToken, 'POST', '/v1/auth/logout', { refreshToken: session.refreshToken })).status).toBe(204);
    const refused = await call(session.accessToken, 'GET', '/v1/me');
    expect(refused.status).toBe(401);
    expect(refused.json.error).toMatchObject({ code: 'UNAUTHENTICATED', message: '登录状态已失效，请重新登录' });
    expect((await call(other.accessToken, 'GET', '/v1/me')).status).toBe(200); // another session of the person goes on
  });

  it('lets a cancelled account write nothing from the 204 on', async () => {
    const citizen = await loginAs(platform.url, '13912350002', 'register');
    const mine = await call(citizen.accessToken, 'POST', '/v1/cases', { description: '路灯不亮', location: { lat: 26.879, lng: 112.613 } });
    expect(mine.status).toBe(201);
    const theirs = await call((await loginAs(platform.url, '13912350003', 'register')).accessToken, 'POST', '/v1/cases', { description: '井盖缺失', location: { lat: 26.88, lng: 112.614 } });
    const filed = await call(agent, 'POST', `/v1/cases/${theirs.json.case.id}/file`, { categoryCode: 'E0503' });
    expect(filed.status).toBe(200);

    expect((await call(citizen.accessToken, 'DELETE', '/v1/me')).status).toBe(204);
    const writes = await Promise.all([
      call(citizen.accessToken, 'POST', '/v1/cases', { description: '占道经营', location: { lat: 26.879, lng: 112.613 } }),
      call(citizen.accessToken, 'POST', '/v1/uploads', { kind: 'before', contentType: 'image/jpeg', size: 1000 }),
      call(citizen.accessToken, 'POST', `/v1/cases/${theirs.json.case.id}/support`),
      call(citizen.accessToken, 'GET', '/v1/me'),
    ]);
    expect(writes.map((w) => w.status)).toEqual([401, 401, 401, 401]);
    expect(writes[0]!.json.error.message).toBe('账号已停用或已注销');
    const after = await call(agent, 'GET', `/v1/cases/${theirs.json.case.id}`);
    expect(after.json.case.supporterCount ?? 0).toBe(0);
    expect(JSON.stringify((await call(agent, 'GET', `/v1/cases/${mine.json.case.id}`)).json)).not.toContain(citizen.user.id);
  });
});
