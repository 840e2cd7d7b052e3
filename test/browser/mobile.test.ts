import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/platform';
import { ensureWebAppBuilt, WEB_APPS } from '#infra/local/web-apps';
import { latestCode, loginAs } from '../support/auth.ts';
import { launchChromium, WECHAT_PHONE } from '../support/browser.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { startTestPlatform } from '../support/platform.ts';

/**
 * The citizens' H5 page in the system Chromium, as a phone in WeChat's browser at the demo point:
 * register by the outbox code, report with two photos through the file chooser, follow the case in
 * "my cases", rate it once staff have closed it through the API. The page is built in the setup, so a
 * page that does not build, render or work fails here.
 */
/** Screenshots: every run takes them; `SCREENSHOTS=docs` writes them over the README's in docs/mobile/. */
const SHOTS = process.env.SCREENSHOTS === 'docs' ? join(REPO_ROOT, 'docs', 'mobile') : join(REPO_ROOT, '.data', 'screenshots', 'mobile');
const PHONE = '13912377001';
const SESSION_KEY = 'citygrid.m.session';
/** The page's storage, inside `page.evaluate` callbacks (they run in the browser; Node has no DOM types here). */
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
declare const indexedDB: { open(name: string, version: number): any };

/** Puts a session where the page keeps it: localStorage for the tab, IndexedDB for all tabs (mobile/src/shared-session.ts). */
const setSession = (target: Page, value: Record<string, unknown>) =>
  target.evaluate(
    ([key, json]) =>
      new Promise<void>((resolve, reject) => {
        localStorage.setItem(key!, json!);
        const request = indexedDB.open('citygrid-m', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('session');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const tx = request.result.transaction('session', 'readwrite');
          tx.objectStore('session').put(JSON.parse(json!), 'current');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    [SESSION_KEY, JSON.stringify(value)],
  );

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
let caseId: string;

beforeAll(async () => {
  await ensureWebAppBuilt(REPO_ROOT, WEB_APPS.find((a) => a.prefix === '/m/')!, () => undefined);
  [platform, browser] = await Promise.all([startTestPlatform(), launchChromium()]);
  context = await browser.newContext(WECHAT_PHONE);
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) pageErrors.push(message.text());
  });
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

/** A screenshot once toasts have faded (they would hide the page). */
const shot = async (name: string, fullPage = false) => {
  await page.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
};
const token = () => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}').accessToken as string, SESSION_KEY);
const asCitizen = async (path: string) => platform.api(path, { headers: { authorization: `Bearer ${await token()}` } });
/** Polls until the assertion holds: generous, since test machines are shared and a build may be running next door. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });
/** Vant's toast, by its text. */
const toast = (text: string | RegExp) => page.locator('.van-toast').filter({ hasText: text });

/** A big camera-like photo (noise does not compress): the page must shrink it before the upload. */
const cameraPhoto = (seed: number) =>
  sharp({ create: { width: 2200, height: 1650, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 120 + seed, sigma: 40 } } }).jpeg({ quality: 95 }).toBuffer();

/** JS and CSS the browser fetched for one fresh visit, gzip-compressed as a server would send them. */
async function firstScreenGzipBytes(path: string, ready: (p: Page) => Promise<unknown>, storage?: BrowserContext) {
  const fresh = storage ?? (await browser.newContext(WECHAT_PHONE));
  const visitor = await fresh.newPage();
  const sizes: Promise<number>[] = [];
  visitor.on('response', (response) => {
    if (/\.(js|css)$/.test(new URL(response.url()).pathname)) sizes.push(response.body().then((b) => gzipSync(b, { level: 9 }).length));
  });
  await visitor.goto(`${platform.url}${path}`);
  await ready(visitor);
  await visitor.waitForLoadState('networkidle');
  const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await visitor.close();
  if (!storage) await fresh.close();
  return total;
}

describe('the citizens’ mobile page (/m/) in Chromium, as a phone in WeChat', () => {
  it('registers a fresh citizen with the SMS code from the outbox and lands on the report page', async () => {
    await page.goto(`${platform.url}/m/`);
    await page.waitForURL(/\/m\/login/);
    await page.getByRole('tab', { name: '注册' }).click();
    await page.getByPlaceholder('11 位手机号').fill(PHONE);
    await page.locator('[data-test=send-code]').click();
    await eventually(() => page.locator('[data-test=send-code]').textContent()).toMatch(/秒后重发/);
    await page.getByPlaceholder('6 位验证码').fill(await latestCode(platform.url, `+86${PHONE}`));
    await page.getByPlaceholder('选填').fill('市民小李');
    await shot('login');
    await page.locator('[data-test=submit-login]').click();
    await page.waitForURL(/\/m\/report/);

    const me = await asCitizen('/v1/me');
    expect(me.status).toBe(200);
    expect(me.json.user).toMatchObject({ phone: `+86${PHONE}`, displayName: '市民小李', roles: ['citizen'] });
  });

  it('reports with two photos from the file chooser at the demo point, shrunk on the phone; a retry after a lost answer makes one case', async () => {
    await eventually(() => page.locator('[data-test=location]').textContent()).toContain('当家村社区');
    await page.getByPlaceholder(/请描述您看到的问题/).fill('人行道井盖缺失，行人容易踩空');

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('.van-uploader__input').click()]);
    expect(chooser.isMultiple()).toBe(true);
    const originals = [await cameraPhoto(1), await cameraPhoto(2)];
    await chooser.setFiles(originals.map((buffer, i) => ({ name: `IMG_000${i + 1}.jpg`, mimeType: 'image/jpeg', buffer })));
    await eventually(() => page.locator('.van-uploader__preview').count()).toBe(2);
    await eventually(() => page.locator('.van-uploader__mask').count()).toBe(0); // compressed and uploaded
    await shot('report');

    // The first answer is lost on the way back (a flaky 4G): the server made the case, the phone saw nothing.
    let lost = 0;
    await page.route('**/v1/cases', async (route) => {
      if (route.request().method() === 'POST' && lost === 0) {
        lost++;
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.locator('[data-test=submit-report]').click();
    await expect(toast('网络不可用').waitFor()).resolves.toBeUndefined();
    expect(lost).toBe(1);
    // The citizen taps again: same report, same Idempotency-Key → the first case, not a second one.
    await page.locator('[data-test=submit-report]').click();
    await page.waitForURL(/\/m\/cases\/[\w-]+$/);
    await page.unroute('**/v1/cases');
    caseId = page.url().split('/').pop()!;

    const mine = await asCitizen('/v1/me/cases');
    expect(mine.json.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    const detail = await asCitizen(`/v1/cases/${caseId}`);
    expect(detail.json.case).toMatchObject({ status: 'reported', channel: 'wechat', gridName: '当家村社区', location: { lat: 26.879, lng: 112.613 } });
    expect(detail.json.photos.before).toHaveLength(2);
    for (const [i, photo] of detail.json.photos.before.entries()) {
      const served = Buffer.from(await (await fetch(photo.url)).arrayBuffer());
      const meta = await sharp(served).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1920); // shrunk from 2200 px
      expect(served.length).toBeLessThan(originals[i]!.length);
    }
  });

  it('makes exactly one case of a double tap on "提交上报"', async () => {
    await page.goto(`${platform.url}/m/report`);
    await eventually(() => page.locator('[data-test=location]').textContent()).toContain('当家村社区');
    await page.getByPlaceholder(/请描述您看到的问题/).fill('路灯不亮，晚上很黑');
    await page.locator('[data-test=submit-report]').dblclick();
    await page.waitForURL(/\/m\/cases\/[\w-]+$/);
    const mine = await asCitizen('/v1/me/cases');
    expect(mine.json.items).toHaveLength(2);
    expect(mine.json.items.filter((c: { description: string }) => c.description === '路灯不亮，晚上很黑')).toHaveLength(1);
  });

  it('lists both reports in "我的上报" and shows the first one’s status, timeline and photos', async () => {
    await page.locator('.van-nav-bar__left').click(); // back to the report page
    await page.getByRole('tab', { name: '我的上报' }).click();
    await page.waitForURL(/\/m\/cases$/);
    await eventually(() => page.locator('[data-test=case-row]').count()).toBe(2);
    await eventually(() => page.locator('[data-test=case-status]').allTextContents()).toEqual(['待受理', '待受理']);
    await shot('cases');

    await page.locator('[data-test=case-row]').filter({ hasText: '井盖缺失' }).click();
    await page.waitForURL(new RegExp(`/m/cases/${caseId}$`));
    await eventually(() => page.locator('[data-test=detail-status]').textContent()).toBe('待受理');
    await eventually(() => page.locator('[data-test=before-photo]').count()).toBe(2);
    expect(await page.locator('[data-test=timeline]').textContent()).toContain('提交上报');
  });

  it('shows the closed case with the after photo, a timeline without staff names, and takes the rating', async () => {
    // Staff close it through the API: file, dispatch to the street brigade's handler, complete, verify.
    const staff = async (phone: string) => (await loginAs(platform.url, phone)).accessToken;
    const [agent, handlerSession] = [await staff('+8613800000002'), await loginAs(platform.url, '+8613800000007')];
    const call = (who: string, path: string, body: unknown) =>
      platform.api(path, { method: 'POST', headers: { authorization: `Bearer ${who}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await call(agent, `/v1/cases/${caseId}/file`, { categoryCode: 'C0101', note: 'internal: 井盖 城管' })).status).toBe(200);
    expect((await call(agent, `/v1/cases/${caseId}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: handlerSession.user.id })).status).toBe(200);
    const after = await uploadPhoto(platform, handlerSession.accessToken, 'after', await jpegWithGps());
    expect((await call(handlerSession.accessToken, `/v1/cases/${caseId}/complete`, { note: '已补装井盖', photoKeys: [after.photoKey] })).status).toBe(200);
    expect((await call(agent, `/v1/cases/${caseId}/verify`, { approved: true })).json.case.status).toBe('closed');

    await page.reload();
    await eventually(() => page.locator('[data-test=detail-status]').textContent()).toBe('已结案');
    await eventually(() => page.locator('[data-test=after-photo]').count()).toBe(1);
    const timeline = (await page.locator('[data-test=timeline]').textContent()) ?? '';
    expect(timeline).toContain('核查通过，结案');
    expect(timeline).toContain('雁峰街道城管大队');
    for (const name of ['王敏', '赵磊']) expect(timeline).not.toContain(name); // demo agent and handler
    await page.locator('[data-test=rating-form]').waitFor();
    await page.locator('[data-test=satisfied-no]').click();
    await page.locator('[data-test=satisfied-yes]').click();
    await page.locator('[data-test=rating-form] .van-rate__item').nth(3).click(); // 4 stars
    await page.getByPlaceholder('选填，说说处置效果').fill('处理很及时');
    await shot('case-detail', true);
    await page.locator('[data-test=submit-rating]').click();
    await page.locator('[data-test=rating-done]').waitFor();

    const detail = await asCitizen(`/v1/cases/${caseId}`);
    expect(detail.json.case.rating).toMatchObject({ satisfied: true, score: 4, comment: '处理很及时' });
  });

  it('exports the person\'s data and asks before cancelling the account under "我的"', async () => {
    await page.goto(`${platform.url}/m/me`);
    await page.locator('[data-test=export]').waitFor();
    await shot('me');
    await page.locator('[data-test=export]').click();
    await page.locator('.van-toast').filter({ hasText: '已导出' }).waitFor();
    await page.locator('[data-test=cancel-account]').click();
    await page.locator('.van-dialog').filter({ hasText: '确定注销吗' }).waitFor();
    await page.locator('.van-dialog__cancel').click();
    expect((await asCitizen('/v1/me')).status).toBe(200); // declining the question cancels nothing
  });

  it('says in Chinese how long to wait on 429, that the network is down, that a photo is too large and that a description needs two characters', async () => {
    await page.route('**/v1/cases/nearby*', (route) => route.fulfill({ status: 404, body: '' }));
    await page.goto(`${platform.url}/m/report`);
    await eventually(() => page.locator('[data-test=location]').textContent()).toContain('当家村社区');
    await page.route('**/v1/cases', (route) =>
      route.fulfill({ status: 429, headers: { 'retry-after': '120', 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many requests' } }) }),
    );
    await page.getByPlaceholder(/请描述您看到的问题/).fill('垃圾桶满了');
    await page.locator('[data-test=submit-report]').click();
    await toast('操作太频繁，请 2 分钟后再试').waitFor();
    await page.unroute('**/v1/cases');
    await context.setOffline(true);
    await page.locator('[data-test=submit-report]').click();
    await toast('网络不可用').waitFor();
    await context.setOffline(false);
    expect(await page.locator('[data-test=nearby]').count()).toBe(0); // no nearby route yet: the block stays hidden

    // The bucket refuses a photo over its size limit: the page says so and marks the photo failed.
    await context.route(`${platform.s3Endpoint}/**`, (route) =>
      route.fulfill({ status: 400, contentType: 'application/xml', body: '<Error><Code>EntityTooLarge</Code></Error>' }),
    );
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('.van-uploader__input').click()]);
    await chooser.setFiles([{ name: 'big.jpg', mimeType: 'image/jpeg', buffer: await cameraPhoto(3) }]);
    await toast('照片太大').waitFor();
    await page.locator('.van-uploader__preview').filter({ hasText: '上传失败' }).waitFor();
    await context.unroute(`${platform.s3Endpoint}/**`);
    // A one-character description is refused on the phone already.
    await page.getByPlaceholder(/请描述您看到的问题/).fill('脏');
    await page.locator('[data-test=submit-report]').click();
    await page.getByText('请至少用两个字描述问题').waitFor();
  });

  it('offers "我也遇到" on nearby open cases where the API lists them (the duplicates contract, answered by the test)', async () => {
    await page.unroute('**/v1/cases/nearby*');
    const nearbyQueries: string[] = [];
    const supports: string[] = [];
    await page.route('**/v1/cases/nearby*', async (route) => {
      nearbyQueries.push(new URL(route.request().url()).search);
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ items: [{ id: 'case-near-1', caseNumber: '2026-000042', categoryName: '井盖丢失/移位', status: 'dispatched', distanceMetres: 36.4, location: { lat: 26.8792, lng: 112.6131 }, createdAt: new Date().toISOString(), supporterCount: 2 }] }),
      });
    });
    await page.route('**/v1/cases/case-near-1/support', async (route) => {
      supports.push(route.request().method());
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ case: { id: 'case-near-1', caseNumber: '2026-000042', supporterCount: 3 } }) });
    });
    await page.goto(`${platform.url}/m/report`);
    const block = page.locator('[data-test=nearby]');
    await block.waitFor();
    expect(nearbyQueries[0]).toMatch(/lat=26\.879&lng=112\.613&radius=200/);
    expect(await block.textContent()).toContain('36 米 · 2 人遇到');
    await block.getByRole('button', { name: '我也遇到' }).click();
    await block.getByRole('button', { name: '已记录' }).waitFor();
    expect(await block.textContent()).toContain('3 人遇到');
    expect(supports).toEqual(['POST']);
    await page.unroute('**/v1/cases/nearby*');
    await page.unroute('**/v1/cases/case-near-1/support');
  });

  it('stays logged in through the refresh token once the API issues them, refreshing once for two tabs', async () => {
    const real = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!), SESSION_KEY);
    await setSession(page, { ...real, accessToken: 'an-expired-token', accessExpiresAt: Date.now() - 1000, refreshToken: 'refresh-1' });
    const refreshes: string[] = [];
    await context.route('**/v1/auth/refresh', async (route) => {
      refreshes.push(JSON.parse(route.request().postData() ?? '{}').refreshToken);
      await new Promise((r) => setTimeout(r, 300)); // both tabs are waiting meanwhile
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ accessToken: real.accessToken, expiresIn: 43_200, refreshToken: 'refresh-2' }) });
    });
    const second = await context.newPage();
    try {
      await Promise.all([page.goto(`${platform.url}/m/cases`), second.goto(`${platform.url}/m/cases`)]);
      for (const tab of [page, second]) await eventually(() => tab.locator('[data-test=case-row]').count()).toBe(2);
      expect(refreshes).toEqual(['refresh-1']); // one rotation, shared: a second use of refresh-1 would revoke the session
      for (const tab of [page, second]) {
        const stored = await tab.evaluate((key) => JSON.parse(localStorage.getItem(key)!), SESSION_KEY);
        expect(stored).toMatchObject({ accessToken: real.accessToken, refreshToken: 'refresh-2' });
      }
    } finally {
      await second.close();
      await context.unroute('**/v1/auth/refresh');
    }
  });

  it('keeps the first screen small: JS + CSS ≤ 250 kB gzip for the login and for the report page', async () => {
    const login = await firstScreenGzipBytes('/m/', (p) => p.getByRole('tab', { name: '注册' }).waitFor());
    const signedIn = await browser.newContext(WECHAT_PHONE);
    const session = await page.evaluate((key) => localStorage.getItem(key)!, SESSION_KEY);
    await signedIn.addInitScript(([key, value]) => localStorage.setItem(key!, value!), [SESSION_KEY, session]);
    const report = await firstScreenGzipBytes('/m/report', (p) => p.locator('[data-test=submit-report]').waitFor(), signedIn);
    await signedIn.close();
    console.log(`[mobile] first screen JS+CSS gzip: login ${(login / 1024).toFixed(1)} kB, report ${(report / 1024).toFixed(1)} kB`);
    expect(login).toBeLessThanOrEqual(250 * 1024);
    expect(report).toBeLessThanOrEqual(250 * 1024);
    expect(pageErrors).toEqual([]);
  });
  it('goes back to the login when the access token has expired and the API cannot refresh it', async () => {
    const session = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!), SESSION_KEY);
    await setSession(page, { ...session, accessExpiresAt: Date.now() - 1000, refreshToken: 'an-old-refresh-token' });
    await page.goto(`${platform.url}/m/cases`);
    await page.waitForURL(/\/m\/login\?.*expired=1/);
    await page.getByText('登录已过期，请重新登录').waitFor();
    expect(await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
  });

});
