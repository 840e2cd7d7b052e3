import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

/**
 * The container that ends a session or cancels an account refuses its tokens at once, however long its
 * caches (here the longest allowed, 60 s: the local platform is one container, so nothing else could
 * refuse them in time). Other containers follow within the caches' max age (test/e2e/sessions-directory).
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
beforeAll(async () => {
  platform = await startTestPlatform({ env: { AUTH_USER_CACHE_SECONDS: '60', SESSION_CHECK_SECONDS: '60' } });
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
});
