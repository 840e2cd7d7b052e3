import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/platform';
import { ensureWebAppBuilt, WEB_APPS } from '#infra/local/web-apps';
import { latestCode, loginAs } from '../support/auth.ts';
import { launchChromium, takeCspViolations, watchCsp, WECHAT_PHONE } from '../support/browser.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { startTestPlatform } from '../support/platform.ts';

/**
 * The citizens' H5 page in the system Chromium, as a phone in WeChat's browser at the demo point:
 * register by the outbox code, report with two photos through the file chooser, follow the case in
 * "my cases", rate it once staff have closed it through the API, say "我也遇到" on a case staff filed
 * nearby, see a report merged into it. Everything runs against the local platform's API (routes are
 * intercepted only to drop, refuse or delay an answer). The page is built in the setup, so a page that
 * does not build, render or work fails here.
 */
/** Screenshots: every run takes them; `SCREENSHOTS=docs` writes them over the README's in docs/mobile/. */
const SHOTS = process.env.SCREENSHOTS === 'docs' ? join(REPO_ROOT, 'docs', 'mobile') : join(REPO_ROOT, '.data', 'screenshots', 'mobile');
const PHONE = '13912377001';
/** The demo point the phone reports from (test/support/browser.ts), and a point about `metres` north of it. */
const SPOT = { lat: 26.879, lng: 112.613 };
const north = (metres: number) => ({ lat: Number((SPOT.lat + metres / 111_320).toFixed(6)), lng: SPOT.lng });
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
/** The patrol report staff file 30 m north of the phone (the nearby and "me too" tests). */
let nearCaseId: string;

beforeAll(async () => {
  await ensureWebAppBuilt(REPO_ROOT, WEB_APPS.find((a) => a.prefix === '/m/')!, () => undefined);
  [platform, browser] = await Promise.all([startTestPlatform(), launchChromium()]);
  context = await watchCsp(await browser.newContext(WECHAT_PHONE));
  // Playwright's 30 s default is short for a report with two photos on a loaded machine.
  context.setDefaultTimeout(60_000);
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
// The page works within its Content-Security-Policy: a refused script, style, image or call fails the test.
afterEach(() => {
  expect(takeCspViolations()).toEqual([]);
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
/** Demo staff, logged in through the API as the console would. */
const staffSessions = new Map<string, Awaited<ReturnType<typeof loginAs>>>();
const staffSession = async (phone: string) => {
  if (!staffSessions.has(phone)) staffSessions.set(phone, await loginAs(platform.url, phone));
  return staffSessions.get(phone)!;
};
const AGENT = '+8613800000002';
const SUPERVISOR = '+8613800000003';
const HANDLER = '+8613800000007';
const CITY_DISPATCHER = '+8613800000004';
const DISTRICT_DISPATCHER = '+8613800000005';
const asStaff = async (phone: string, method: string, path: string, body?: unknown) =>
  platform.api(path, {
    method,
    headers: { authorization: `Bearer ${(await staffSession(phone)).accessToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

/** A big camera-like photo (noise does not compress): the page must shrink it before the upload. */
const cameraPhoto = (seed: number) =>
  sharp({ create: { width: 2200, height: 1650, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 120 + seed, sigma: 40 } } }).jpeg({ quality: 95 }).toBuffer();

/** JS and CSS the browser fetched for one fresh visit, gzip-compressed as a server would send them. */
async function firstScreenGzipBytes(path: string, ready: (p: Page) => Promise<unknown>, storage?: BrowserContext) {
  const fresh = storage ?? (await watchCsp(await browser.newContext(WECHAT_PHONE)));
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
    const handlerSession = await staffSession(HANDLER);
    expect((await asStaff(AGENT, 'POST', `/v1/cases/${caseId}/file`, { categoryCode: 'C0101', note: 'internal: 井盖 城管' })).status).toBe(200);
    // Down the tree: the center to the city bureau, the city bureau to the district bureau, the district to the street brigade.
    expect((await asStaff(AGENT, 'POST', `/v1/cases/${caseId}/dispatch`, { departmentId: 'city-bureau' })).status).toBe(200);
    expect((await asStaff(CITY_DISPATCHER, 'POST', `/v1/cases/${caseId}/dispatch`, { departmentId: 'yanfeng-district-bureau' })).status).toBe(200);
    expect((await asStaff(DISTRICT_DISPATCHER, 'POST', `/v1/cases/${caseId}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: handlerSession.user.id })).status).toBe(200);
    const after = await uploadPhoto(platform, handlerSession.accessToken, 'after', await jpegWithGps());
    expect((await asStaff(HANDLER, 'POST', `/v1/cases/${caseId}/complete`, { note: '已补装井盖', photoKeys: [after.photoKey] })).status).toBe(200);
    // 核查 by the command center's supervisor: the center's verdict, not a grid supervisor's.
    expect((await asStaff(SUPERVISOR, 'POST', `/v1/cases/${caseId}/verify`, { approved: true })).json.case.status).toBe('closed');

    await page.reload();
    await eventually(() => page.locator('[data-test=detail-status]').textContent()).toBe('已结案');
    await eventually(() => page.locator('[data-test=after-photo]').count()).toBe(1);
    const timeline = (await page.locator('[data-test=timeline]').textContent()) ?? '';
    expect(timeline).toContain('核查通过，结案');
    expect(timeline).toContain('雁峰街道城管大队');
    // Each step names the unit that acted, not the unit it sent the case to.
    const steps = await page.locator('[data-test=step]').evaluateAll((items) =>
      items.map((item) => [(item as unknown as { querySelector(s: string): { textContent: string } }).querySelector('[data-test=step-title]').textContent, (item as unknown as { querySelector(s: string): { textContent: string } }).querySelector('[data-test=step-actor]').textContent.split(' · ').pop()]),
    );
    expect(steps).toEqual(
      expect.arrayContaining([
        ['派遣处置单位：市城管执法局', '城市管理指挥中心'],
        ['派遣处置单位：雁峰区城管执法局', '市城管执法局'],
        ['派遣处置单位：雁峰街道城管大队', '雁峰区城管执法局'],
        ['处置完成', '雁峰街道城管大队'],
        ['核查通过，结案', '城市管理指挥中心'],
      ]),
    );
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
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export]').click()]);
    await page.locator('.van-toast').filter({ hasText: '已导出' }).waitFor();
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(exported.account).toMatchObject({ phone: `+86${PHONE}`, displayName: '市民小李' });
    expect(exported.cases).toHaveLength(2);
    await page.locator('[data-test=cancel-account]').click();
    await page.locator('.van-dialog').filter({ hasText: '确定注销吗' }).waitFor();
    await page.locator('.van-dialog__cancel').click();
    expect((await asCitizen('/v1/me')).status).toBe(200); // declining the question cancels nothing
  });

  it('says in Chinese how long to wait on 429, that the network is down, that a photo is too large and that a description needs two characters', async () => {
    const nearbyAnswer = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/cases/nearby');
    await page.goto(`${platform.url}/m/report`);
    await eventually(() => page.locator('[data-test=location]').textContent()).toContain('当家村社区');
    // Nothing open and filed is near yet: the first report is closed, the second (路灯不亮) not filed.
    expect((await nearbyAnswer).status()).toBe(200);
    expect(await (await nearbyAnswer).json()).toEqual({ items: [] });
    expect(await page.locator('[data-test=nearby]').count()).toBe(0); // the block stays hidden
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

  it('lists a case staff filed nearby and records "我也遇到" once: a double tap sends one, a repeat counts nothing', async () => {
    // The patrol supervisor reports a street lamp 30 m north of the phone; the agent files it.
    const reported = await asStaff(SUPERVISOR, 'POST', '/v1/cases', { description: '巡查发现路灯不亮', location: north(30) });
    expect(reported.status).toBe(201);
    nearCaseId = reported.json.case.id;
    const filed = await asStaff(AGENT, 'POST', `/v1/cases/${nearCaseId}/file`, { categoryCode: 'C0104' });
    expect(filed.status).toBe(200);
    const supports: string[] = [];
    const onRequest = (request: { url(): string; method(): string }) => {
      if (request.url().endsWith(`/v1/cases/${nearCaseId}/support`)) supports.push(request.method());
    };
    page.on('request', onRequest);
    try {
      const nearbyQuery = page.waitForRequest((request) => new URL(request.url()).pathname === '/v1/cases/nearby');
      await page.goto(`${platform.url}/m/report`);
      expect(new URL((await nearbyQuery).url()).search).toBe(`?lat=${SPOT.lat}&lng=${SPOT.lng}&radius=200`);
      const row = page.locator('[data-test=nearby] [data-test=nearby-case]');
      await row.waitFor();
      expect(await row.count()).toBe(1); // the citizen's own unfiled report and the closed one are not listed
      expect(await row.textContent()).toContain('路灯损坏');
      expect(await row.textContent()).toContain('30 米 · 已立案 · 0 人遇到');
      expect(await row.textContent()).not.toContain('巡查发现'); // no descriptions

      await row.getByRole('button', { name: '我也遇到' }).dblclick();
      await row.getByRole('button', { name: '已记录' }).waitFor();
      await toast('已记录，结案时将短信告知您').waitFor();
      expect(await row.textContent()).toContain('1 人遇到');
      await shot('report-nearby');
      expect(supports).toEqual(['POST']); // the second tap of the double tap sent nothing
      expect((await asStaff(AGENT, 'GET', `/v1/cases/${nearCaseId}`)).json.case.supporterCount).toBe(1);

      // Back on the page later: it does not know about the earlier "me too", the API does — a repeat counts nothing.
      await page.reload();
      await row.waitFor();
      expect(await row.textContent()).toContain('1 人遇到');
      await row.getByRole('button', { name: '我也遇到' }).click();
      await row.getByRole('button', { name: '已记录' }).waitFor();
      expect(await row.textContent()).toContain('1 人遇到');
      expect(supports).toEqual(['POST', 'POST']);
      expect((await asStaff(AGENT, 'GET', `/v1/cases/${nearCaseId}`)).json.case.supporterCount).toBe(1);
      expect((await asCitizen(`/v1/cases/nearby?lat=${SPOT.lat}&lng=${SPOT.lng}`)).json.items).toMatchObject([{ id: nearCaseId, supporterCount: 1 }]);
    } finally {
      page.off('request', onRequest);
    }
  });

  it('shows in "我的上报" that a report was merged with the same problem reported by someone else', async () => {
    // The agent merges the citizen's unfiled 路灯不亮 report into the patrol's filed one.
    const lamp = (await asCitizen('/v1/me/cases')).json.items.find((c: { description: string }) => c.description === '路灯不亮，晚上很黑');
    const merged = await asStaff(AGENT, 'POST', `/v1/cases/${lamp.id}/merge`, { intoCaseId: nearCaseId, note: 'internal: 同一盏路灯' });
    expect(merged.status).toBe(200);
    expect(merged.json.case).toMatchObject({ status: 'merged', mergedInto: nearCaseId });

    await page.goto(`${platform.url}/m/cases`);
    await eventually(() => page.locator('[data-test=case-status]').allTextContents()).toEqual(['已合并', '已结案']);
    expect(await page.locator('[data-test=case-merged]').allTextContents()).toEqual(['与他人反映的同一问题合并处理']);
    await page.locator('[data-test=case-row]').filter({ hasText: '路灯不亮' }).click();
    await page.waitForURL(new RegExp(`/m/cases/${lamp.id}$`));
    await eventually(() => page.locator('[data-test=detail-status]').textContent()).toBe('已合并');
    // The merge event tells the reporter the number of the case carrying the problem (the SMS said it too).
    const label = (await asStaff(AGENT, 'GET', `/v1/cases/${nearCaseId}`)).json.case.caseNumberLabel;
    expect(label).toMatch(/^【\d{4}】字第【\d+】号$/);
    expect(await page.locator('[data-test=merged-note]').textContent()).toContain(`您反映的问题与案件${label}为同一问题，已合并处理，结案时将短信告知您。`);
    const timeline = (await page.locator('[data-test=timeline]').textContent()) ?? '';
    expect(timeline).toContain('与相同问题合并');
    expect(timeline).not.toContain('同一盏路灯'); // the merge note is internal
    await shot('case-merged');
  });

  it('stays logged in through the refresh token, refreshing once for two tabs', async () => {
    const real = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!), SESSION_KEY);
    expect(real.refreshToken).toEqual(expect.any(String)); // kept from the registration
    await setSession(page, { ...real, accessToken: 'an-expired-token', accessExpiresAt: Date.now() - 1000 });
    const refreshes: string[] = [];
    // The real route, its answer held back a moment so that both tabs are waiting for it meanwhile.
    await context.route('**/v1/auth/refresh', async (route) => {
      refreshes.push(JSON.parse(route.request().postData() ?? '{}').refreshToken);
      await new Promise((r) => setTimeout(r, 300));
      await route.continue();
    });
    const second = await context.newPage();
    try {
      await Promise.all([page.goto(`${platform.url}/m/cases`), second.goto(`${platform.url}/m/cases`)]);
      for (const tab of [page, second]) await eventually(() => tab.locator('[data-test=case-row]').count()).toBe(2);
      expect(refreshes).toEqual([real.refreshToken]); // one rotation, shared: a second use of the old token would revoke the session
      const [mine, theirs] = await Promise.all([page, second].map((tab) => tab.evaluate((key) => JSON.parse(localStorage.getItem(key)!), SESSION_KEY)));
      expect(mine.refreshToken).not.toBe(real.refreshToken);
      expect(theirs).toMatchObject({ accessToken: mine.accessToken, refreshToken: mine.refreshToken });
      expect((await asCitizen('/v1/me')).status).toBe(200);
      // The session family is alive (a reused refresh token would have ended it): the newest token still renews it.
      const renewed = await platform.api('/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: mine.refreshToken }) });
      expect(renewed.status).toBe(200);
      await setSession(page, { ...mine, accessToken: renewed.json.accessToken, refreshToken: renewed.json.refreshToken });
    } finally {
      await second.close();
      await context.unroute('**/v1/auth/refresh');
    }
  });

  it('keeps the first screen small: JS + CSS ≤ 250 kB gzip for the login and for the report page', async () => {
    const login = await firstScreenGzipBytes('/m/', (p) => p.getByRole('tab', { name: '注册' }).waitFor());
    const signedIn = await watchCsp(await browser.newContext(WECHAT_PHONE));
    const session = await page.evaluate((key) => localStorage.getItem(key)!, SESSION_KEY);
    await signedIn.addInitScript(([key, value]) => localStorage.setItem(key!, value!), [SESSION_KEY, session]);
    const report = await firstScreenGzipBytes('/m/report', (p) => p.locator('[data-test=submit-report]').waitFor(), signedIn);
    await signedIn.close();
    console.log(`[mobile] first screen JS+CSS gzip: login ${(login / 1024).toFixed(1)} kB, report ${(report / 1024).toFixed(1)} kB`);
    expect(login).toBeLessThanOrEqual(250 * 1024);
    expect(report).toBeLessThanOrEqual(250 * 1024);
    expect(pageErrors).toEqual([]);
  });
  it('reports without a position: the place chosen by 区/街道/社区 with an address, or tapped on the map (定位方式 for staff)', async () => {
    // A phone that refuses the position (or a person not at the spot).
    const refused = await watchCsp(await browser.newContext({ ...WECHAT_PHONE, permissions: [] }));
    const session = await page.evaluate((key) => localStorage.getItem(key)!, SESSION_KEY);
    await refused.addInitScript(([key, value]) => localStorage.setItem(key!, value!), [SESSION_KEY, session]);
    const phone = await refused.newPage();
    phone.on('pageerror', (error) => pageErrors.push(error.message));
    const staffCase = async (id: string) => (await asStaff(AGENT, 'GET', `/v1/cases/${id}`)).json.case;

    await phone.goto(`${platform.url}/m/report`);
    await phone.getByText(/未获得定位权限/).waitFor();
    await phone.getByPlaceholder(/请描述您看到的问题/).fill('小区门口垃圾桶满溢');
    await phone.locator('[data-test=pick-by-name]').click();
    for (const level of ['雁峰区', '雁峰街道', '当家村社区']) {
      const option = phone.locator('.van-cascader__option:visible', { hasText: level }).first();
      await option.waitFor();
      await option.click();
    }
    await phone.getByText('雁峰区 · 雁峰街道 · 当家村社区（社区中心点').waitFor();
    // The address is required this way: the centre of a community does not say where.
    await phone.locator('[data-test=submit-report]').click();
    await phone.getByText('按社区选择位置时，请填写详细地址').waitFor();
    await phone.locator('[data-test=address] input').fill('当家村社区东门');
    await phone.locator('[data-test=submit-report]').click();
    await phone.waitForURL(/\/m\/cases\/[\w-]+$/);
    const byName = await staffCase(phone.url().split('/').pop()!);
    expect(byName).toMatchObject({ locationSource: 'address', address: '当家村社区东门', gridId: 'yanfeng-dangjiacun' });

    await phone.goto(`${platform.url}/m/report`);
    await phone.getByPlaceholder(/请描述您看到的问题/).fill('人行道井盖松动');
    await phone.locator('[data-test=pick-on-map]').click();
    // The grids' outlines are drawn (on a blank background: no tile server here); a tap picks the point.
    await eventually(async () => (await phone.locator('[data-test=place-map] path').count()) > 0).toBe(true);
    const map = await phone.locator('[data-test=place-map]').boundingBox();
    await phone.mouse.click(map!.x + map!.width / 2, map!.y + map!.height / 2);
    await phone.screenshot({ path: join(SHOTS, 'report-place-map.png') });
    await phone.locator('[data-test=confirm-map-point]:not([disabled])').click();
    // The place's label (not the button, also named 地图选点) says how it was chosen.
    await phone.locator('[data-test=location]').getByText(/^地图选点/).waitFor();
    await phone.locator('[data-test=submit-report]').click();
    await phone.waitForURL(/\/m\/cases\/[\w-]+$/);
    const onMap = await staffCase(phone.url().split('/').pop()!);
    expect(onMap.locationSource).toBe('map');
    expect(onMap.location).toBeDefined();
    await refused.close();
    expect(pageErrors).toEqual([]);
  });

  it('goes back to the login when the access token has expired and the API refuses the refresh token', async () => {
    const session = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)!), SESSION_KEY);
    await setSession(page, { ...session, accessExpiresAt: Date.now() - 1000, refreshToken: 'an-old-refresh-token' });
    await page.goto(`${platform.url}/m/cases`);
    await page.waitForURL(/\/m\/login\?.*expired=1/);
    await page.getByText('登录已过期，请重新登录').waitFor();
    expect(await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY)).toBeNull();
  });

});
