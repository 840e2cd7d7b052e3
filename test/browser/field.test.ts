import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/platform';
import { ensureWebAppBuilt, WEB_APPS } from '#infra/local/web-apps';
import { latestCode, loginAs } from '../support/auth.ts';
import { buildConsole, DEMO_POINT, FIELD_PHONE, launchChromium, screenshot, takeCspViolations, watchCsp } from '../support/browser.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { startTestPlatform } from '../support/platform.ts';

/**
 * 城管通 (/field/) in the system Chromium as a phone: a handler's completion taken offline survives the
 * page being closed and reaches the server once — photo included — when the connection returns; an
 * action delivered twice makes one transition; a supervisor's patrol report made offline becomes one
 * `patrol` case in the right grid; a 核查 answer with a photo; a refused action shows the server's
 * message. Geolocation and the camera's file input are emulated; everything else is the real local
 * platform (routes are intercepted only to drop an answer). Playwright's setOffline(false) fires the
 * page's `online` event but no Background Sync: the `online` and app-start paths are what run here.
 */
const SHOTS = join(REPO_ROOT, 'docs', 'field');
const PHONES = { agent: '+8613800000002', supervisor: '+8613800000003', dispatcher: '+8613800000006', handler: '+8613800000007', leader: '+8613800000008', citizen: '+8613912377261' };
/** Logged in through the API up front; the handler and the supervisor log in through the app's own page (one SMS code a minute per phone). */
const BY_API = ['agent', 'dispatcher', 'citizen'] as const;
const PHONE_CONTEXT = FIELD_PHONE;

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;
const pageErrors: string[] = [];
const sessions: Record<string, { token: string; id: string }> = {};
let agentLogin: Awaited<ReturnType<typeof loginAs>>;

beforeAll(async () => {
  await ensureWebAppBuilt(REPO_ROOT, WEB_APPS.find((a) => a.name === 'field')!, () => undefined);
  [platform, browser] = await Promise.all([startTestPlatform(), launchChromium()]);
  for (const who of BY_API) {
    const session = await loginAs(platform.url, PHONES[who], who === 'citizen' ? 'register' : 'login');
    sessions[who] = { token: session.accessToken, id: session.user.id };
    if (who === 'agent') agentLogin = session;
  }
  await buildConsole();
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});
afterEach(() => {
  expect(takeCspViolations()).toEqual([]);
  expect(pageErrors).toEqual([]);
});

const call = async (who: string, method: string, path: string, body?: unknown) =>
  platform.api(path, {
    method,
    headers: { authorization: `Bearer ${sessions[who]!.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

/** A big camera-like photo (noise does not compress), with EXIF GPS: the app shrinks it and keeps the GPS. */
const cameraPhoto = async () => ({
  name: 'IMG_0001.jpg',
  mimeType: 'image/jpeg',
  buffer: await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'CityGridTest' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '26/1 52/1 44/1', GPSLongitudeRef: 'E', GPSLongitude: '112/1 36/1 47/1' } })
    .toBuffer(),
});

/** A case a citizen reported with a before photo, filed and dispatched to the demo handler. */
async function dispatchedCase(description: string): Promise<string> {
  const before = await uploadPhoto(platform, sessions.citizen!.token, 'before', await jpegWithGps());
  let reported: Awaited<ReturnType<typeof call>> | undefined;
  await expect
    .poll(async () => (reported = await call('citizen', 'POST', '/v1/cases', { description, location: { lat: 26.879, lng: 112.613 }, photoKeys: [before.photoKey] })).status, { timeout: 20_000 })
    .toBe(201);
  const id = reported!.json.case.id as string;
  expect((await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0107' })).status).toBe(200);
  expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: sessions.handler!.id })).status).toBe(200);
  return id;
}

/** The login code the local stack "texted" (once the SMS is in the outbox). */
async function codeFor(phone: string): Promise<string> {
  let code = '';
  await expect.poll(async () => (code = await latestCode(platform.url, phone).catch(() => '')), { timeout: 20_000 }).not.toBe('');
  return code;
}

/** A phone context with the app logged in through its login page (the code from the outbox). */
async function loggedIn(phone: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await watchCsp(await browser.newContext(PHONE_CONTEXT));
  context.setDefaultTimeout(60_000);
  const page = await open(context, '/field/');
  await page.waitForURL(/\/field\/login/);
  await page.getByPlaceholder('11 位手机号').fill(phone.replace('+86', ''));
  await page.locator('[data-test=send-code]').click();
  const code = await codeFor(phone);
  await page.getByPlaceholder('6 位验证码').fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(/\/field\/tasks/);
  // The service worker has precached the app and controls the page: it opens with no network from now on.
  await page.waitForFunction(() => (globalThis as any).navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
  // The app's session gives the test the person's id and token for checks through the API.
  const kept = JSON.parse((await page.evaluate(() => (globalThis as any).localStorage.getItem('citygrid.field.session'))) ?? 'null');
  const who = Object.entries(PHONES).find(([, p]) => p === phone)![0];
  sessions[who] = { token: kept.accessToken, id: kept.user.id };
  return { context, page };
}

async function open(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource|net::ERR_INTERNET_DISCONNECTED|ERR_FAILED/.test(message.text())) pageErrors.push(message.text());
  });
  await page.goto(`${platform.url}${path}`);
  return page;
}

/** A photo through the camera's file input; returns once the app has shrunk it (its preview has no mask). */
async function addPhoto(page: Page) {
  await page.locator('[data-test=photo-input] input[type=file]').setInputFiles(await cameraPhoto());
  await page.locator('.van-uploader__preview').first().waitFor();
  await page.locator('.van-uploader__mask').first().waitFor({ state: 'detached' });
}

const shot = async (page: Page, name: string) => {
  await page.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  await screenshot(page, join(SHOTS, `${name}.png`));
};

const timelineOf = async (id: string) => (await call('agent', 'GET', `/v1/cases/${id}`)).json as { case: { status: string; assignment?: { assigneeId?: string } }; timeline: Array<{ action: string; photoKeys?: string[] }>; photos: { after: unknown[] } };

describe('城管通 (/field/) on a phone, offline first', () => {
  let handler: { context: BrowserContext; page: Page };
  let handledId: string;

  it('tells staff of other roles to use the console', async () => {
    const context = await watchCsp(await browser.newContext(PHONE_CONTEXT));
    const page = await open(context, '/field/login');
    await page.getByPlaceholder('11 位手机号').fill('13800000008');
    await page.locator('[data-test=send-code]').click();
    await page.getByPlaceholder('6 位验证码').fill(await codeFor(PHONES.leader));
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.locator('[data-test=not-for-field]').textContent()).toContain('控制台');
    expect(page.url()).toContain('/field/login');
    await context.close();
  });

  it('completes a task offline with an after photo; the page closed and opened again offline still has it; online, the case is handled once with the photo', async () => {
    handler = await loggedIn(PHONES.handler);
    handledId = await dispatchedCase('人行道井盖破损，行人容易绊倒');
    const { context } = handler;
    let page = handler.page;
    await page.locator('[data-test=refresh]').click();
    const task = page.locator('[data-test=task]', { hasText: '人行道井盖破损' });
    await task.waitFor();
    await expect.poll(() => task.locator('[data-test=countdown]').textContent()).toMatch(/还剩|已超期/);
    await shot(page, 'tasks');
    await task.click();
    await page.waitForURL(new RegExp(`/field/tasks/${handledId}$`));
    // The before photo is kept on the phone (a blob: URL, not the expiring view URL).
    await expect.poll(() => page.locator('[data-test=photo]').first().getAttribute('src')).toMatch(/^blob:/);
    await page.locator('[data-test=timeline]').getByText('派遣').first().waitFor();
    await shot(page, 'detail');

    await context.setOffline(true);
    await page.locator('[data-test=do-complete]').click();
    await page.waitForURL(/\/complete$/);
    await addPhoto(page);
    await page.locator('[data-test=text] textarea').fill('井盖已更换，现场已清理');
    await expect.poll(() => page.locator('[data-test=submit]').isEnabled()).toBe(true);
    await shot(page, 'completion');
    await page.locator('[data-test=submit]').click();
    await page.waitForURL(new RegExp(`/field/tasks/${handledId}$`));
    await expect.poll(() => page.locator('[data-test=queue-count]').textContent()).toBe('1 项待上传');
    await page.locator('[data-test=queue-banner] .van-notice-bar').click();
    await page.locator('[data-test=queue-item]').first().waitFor();
    await shot(page, 'offline-banner');

    // Closed, and opened again with no network: the app, the task and the queued action are on the phone.
    await page.close();
    page = await open(context, `/field/tasks/${handledId}`);
    await page.locator('[data-test=case-status]').waitFor();
    await expect.poll(() => page.locator('[data-test=queue-count]').textContent()).toBe('1 项待上传');
    await page.locator('[data-test=pending-action]').waitFor();
    expect((await timelineOf(handledId)).case.status).toBe('dispatched');

    await context.setOffline(false);
    await expect.poll(async () => (await timelineOf(handledId)).case.status, { timeout: 60_000 }).toBe('handled');
    await page.locator('[data-test=queue-banner]').waitFor({ state: 'detached' });
    const detail = await timelineOf(handledId);
    expect(detail.timeline.filter((e) => e.action === 'complete')).toHaveLength(1);
    expect(detail.timeline.find((e) => e.action === 'complete')!.photoKeys).toHaveLength(1);
    expect(detail.photos.after).toHaveLength(1);
    handler.page = page;

    // The agent's case page in the console shows the completion with its photo (the agent's API session
    // put where the console keeps it: one SMS code a minute per phone).
    const agentContext = await watchCsp(await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }));
    agentContext.setDefaultTimeout(60_000);
    const console_ = await agentContext.newPage();
    await console_.goto(`${platform.url}/console/login`);
    await console_.evaluate((stored) => (globalThis as any).localStorage.setItem('citygrid.console.session', stored), JSON.stringify({ accessToken: agentLogin.accessToken, refreshToken: agentLogin.refreshToken, expiresAt: Date.now() + 3_600_000, user: agentLogin.user }));
    await console_.goto(`${platform.url}/console/cases/${handledId}`);
    await console_.getByText('井盖已更换，现场已清理').first().waitFor();
    await console_.getByTestId('photos-after').getByText('处置后（1）').waitFor();
    await agentContext.close();
  });

  it('opens on the kept task list at once (a snapshot in localStorage), and only the logged-in person\'s', async () => {
    const stored = await handler.page.evaluate(() => (globalThis as any).localStorage.getItem('citygrid.field.session'));
    const userId = JSON.parse(stored).user.id as string;
    const snapshotTask = { kind: 'handle', caseId: 'snapshot-case', dueAt: new Date(Date.now() + 7_200_000).toISOString(), case: { id: 'snapshot-case', status: 'dispatched', channel: 'app', description: '快照里的任务：路灯不亮', version: 1, createdAt: new Date().toISOString() } };
    for (const [owner, shown] of [[userId, true], ['someone-else', false]] as const) {
      // A phone with no kept list in IndexedDB and a server that never answers: what shows is the snapshot.
      const context = await browser.newContext(PHONE_CONTEXT);
      await context.route('**/v1/me/tasks**', () => new Promise(() => undefined));
      await context.addInitScript(
        ([session, snapshot]) => {
          (globalThis as any).localStorage.setItem('citygrid.field.session', session);
          (globalThis as any).localStorage.setItem('citygrid.field.first-screen', snapshot);
        },
        [stored, JSON.stringify({ userId: owner, items: [snapshotTask], savedAt: new Date().toISOString() })] as const,
      );
      const page = await open(context, '/field/tasks');
      if (shown) await page.locator('[data-test=task]', { hasText: '快照里的任务' }).waitFor();
      else {
        await page.locator('.van-loading').waitFor();
        expect(await page.locator('[data-test=task]').count()).toBe(0);
      }
      await context.close();
    }
    // Drawn before the app is loaded at all (first-screen.ts): with the app's chunk never arriving, the
    // kept list is still there, each row a link to its task.
    const context = await browser.newContext(PHONE_CONTEXT);
    await context.route('**/field/assets/boot-*.js', (route) => route.abort());
    await context.addInitScript(
      ([session, snapshot]) => {
        (globalThis as any).localStorage.setItem('citygrid.field.session', session);
        (globalThis as any).localStorage.setItem('citygrid.field.first-screen', snapshot);
      },
      [stored, JSON.stringify({ userId, items: [snapshotTask], savedAt: new Date().toISOString() })] as const,
    );
    const page = await context.newPage();
    await page.goto(`${platform.url}/field/tasks`);
    const row = page.locator('a[data-test=task]', { hasText: '快照里的任务' });
    await row.waitFor();
    expect(await row.getAttribute('href')).toBe('/field/tasks/snapshot-case');
    expect(await row.locator('[data-test=countdown]').textContent()).toMatch(/^还剩 (1 小时 5\d 分钟|2 小时)$/);
    await context.close();
  });

  it('shows the server\'s refusal of a queued action (the case was taken back meanwhile), which can be discarded', async () => {
    const { context } = handler;
    const id = await dispatchedCase('路边废弃车辆占用车位');
    const page = handler.page;
    await page.goto(`${platform.url}/field/tasks`);
    await page.locator('[data-test=task]', { hasText: '路边废弃车辆占用车位' }).click();
    await page.locator('[data-test=photo]').first().waitFor();
    await context.setOffline(true);
    await page.locator('[data-test=do-complete]').click();
    await addPhoto(page);
    await expect.poll(() => page.locator('[data-test=submit]').isEnabled()).toBe(true);
    await page.locator('[data-test=submit]').click();
    await expect.poll(() => page.locator('[data-test=queue-count]').textContent()).toBe('1 项待上传');
    // Meanwhile the brigade takes the case back and the command center dispatches it to another brigade.
    expect((await call('dispatcher', 'POST', `/v1/cases/${id}/return`, { reason: '改派其他大队' })).status).toBe(200);
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'tianmashan-street-brigade' })).status).toBe(200);
    await context.setOffline(false);
    const banner = page.locator('[data-test=queue-banner]');
    await expect.poll(() => banner.textContent()).toContain('1 项被退回');
    await banner.locator('.van-notice-bar').click();
    const error = banner.locator('[data-test=queue-error]');
    await error.waitFor();
    // The server's own message, in Chinese.
    expect(await error.textContent()).toMatch(/[\u4e00-\u9fff]/);
    await shot(page, 'refused');
    await banner.locator('[data-test=discard]').first().click();
    await page.getByRole('button', { name: '确认' }).click();
    await banner.waitFor({ state: 'detached' });
    expect((await timelineOf(id)).timeline.filter((e) => e.action === 'complete')).toHaveLength(0);
  });

  it('makes one transition of a completion delivered twice: the server acted, the answer was lost, the app sent it again with the same key', async () => {
    const { context } = handler;
    const id = await dispatchedCase('店外占道经营，堵塞盲道');
    const page = handler.page;
    await page.goto(`${platform.url}/field/tasks`);
    await page.locator('[data-test=task]', { hasText: '店外占道经营' }).click();
    await page.locator('[data-test=photo]').first().waitFor();
    // The completion reaches the server, which acts on it, but its answer is cut off (a dropped 4G
    // connection): the app cannot tell and keeps the action. (context.route sees the service worker's requests too.)
    const delivered: Array<{ key: string | undefined; status: number; code?: string; dropped: boolean }> = [];
    await context.route(`**/v1/cases/${id}/complete`, async (route) => {
      const response = await route.fetch();
      const drop = response.ok() && !delivered.some((d) => d.dropped);
      const code = response.ok() ? undefined : ((await response.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code;
      delivered.push({ key: route.request().headers()['idempotency-key'], status: response.status(), ...(code ? { code } : {}), dropped: drop });
      if (drop) await route.abort('connectionreset');
      else await route.fulfill({ response });
    });
    await page.locator('[data-test=do-complete]').click();
    await addPhoto(page);
    await page.locator('[data-test=text] textarea').fill('已劝离，盲道已清理');
    await expect.poll(() => page.locator('[data-test=submit]').isEnabled()).toBe(true);
    await page.locator('[data-test=submit]').click();
    await expect.poll(() => delivered.some((d) => d.dropped)).toBe(true);
    expect((await timelineOf(id)).case.status).toBe('handled');
    await expect.poll(() => page.locator('[data-test=queue-count]').textContent()).toBe('1 项待上传');

    // The app starts again (the page closed right after sending): the queue sends the action again, with
    // its key, and drops it only on the server's 2xx — the replay's answer (a refusal would stay in the
    // banner as 被退回). The resend may also come from the service worker's Background Sync, which
    // Chromium fires as soon as the connection is up, and which the route need not see.
    await page.reload();
    await page.locator('[data-test=queue-banner]').waitFor({ state: 'detached' });
    await context.unroute(`**/v1/cases/${id}/complete`);
    expect(delivered.filter((d) => d.dropped)).toHaveLength(1);
    // Before the photo is checked the server answers 409 PHOTO_PENDING, which the app retries (a loaded machine shows several).
    expect(delivered.every((d) => d.status < 300 || d.code === 'PHOTO_PENDING'), JSON.stringify(delivered)).toBe(true);
    expect(delivered.filter((d) => d.status < 300).length).toBeGreaterThanOrEqual(1);
    expect(new Set(delivered.map((d) => d.key)).size).toBe(1);
    expect(delivered[0]!.key).toMatch(/^[\w-]+$/);
    const detail = await timelineOf(id);
    expect(detail.case.status).toBe('handled');
    expect(detail.timeline.filter((e) => e.action === 'complete')).toHaveLength(1);
    // The banner goes when the answer is in; the item's delete commits just after: poll the store.
    await expect.poll(() => page.evaluate(() => new Promise<number>((resolve) => {
      const request = (globalThis as any).indexedDB.open('citygrid-field-data');
      request.onsuccess = () => {
        const count = request.result.transaction('queue', 'readonly').objectStore('queue').count();
        count.onsuccess = () => resolve(count.result as number);
      };
    }))).toBe(0);
  });

  let supervisor: { context: BrowserContext; page: Page };

  it('queues a supervisor\'s patrol report made offline and sends it later: one case, channel patrol, in the grid of the place', async () => {
    supervisor = await loggedIn(PHONES.supervisor);
    const { context, page } = supervisor;
    await page.goto(`${platform.url}/field/patrol`);
    const expectedGrid = (await call('agent', 'GET', `/v1/grids/locate?lat=${DEMO_POINT.latitude}&lng=${DEMO_POINT.longitude}`)).json as { gridId: string; name: string };
    await expect.poll(() => page.locator('[data-test=grid]').textContent()).toContain(expectedGrid.name);
    await page.locator('[data-test=case-map]').waitFor();

    await context.setOffline(true);
    await addPhoto(page);
    await page.locator('[data-test=description] textarea').fill('巡查发现人行道井盖缺失，已设置临时警示');
    await page.locator('[data-test=category]').click();
    await page.locator('[data-test=category-search] input').fill('井盖');
    await page.locator('[data-test=category-hit]', { hasText: '井盖丢失/移位' }).click();
    await expect.poll(() => page.locator('[data-test=category] input').inputValue()).toBe('井盖丢失/移位');
    await expect.poll(() => page.locator('[data-test=submit]').isEnabled()).toBe(true);
    await shot(page, 'patrol');
    await page.locator('[data-test=submit]').click();
    await expect.poll(() => page.locator('[data-test=queue-count]').textContent()).toBe('1 项待上传');

    await context.setOffline(false);
    await page.locator('[data-test=queue-banner]').waitFor({ state: 'detached' });
    const mine = (await call('supervisor', 'GET', '/v1/me/cases?limit=50')).json.items as Array<{ description: string; channel: string; gridId?: string; categoryCode?: string }>;
    const reports = mine.filter((c) => c.description === '巡查发现人行道井盖缺失，已设置临时警示');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ channel: 'patrol', gridId: expectedGrid.gridId, categoryCode: 'C0101' });
  });

  it('answers a 核查 with a photo', async () => {
    const requested = await call('agent', 'POST', `/v1/cases/${handledId}/field-checks`, { kind: 'check-result', supervisorId: sessions.supervisor!.id });
    expect(requested.status).toBe(201);
    const { page } = supervisor;
    await page.goto(`${platform.url}/field/tasks`);
    await page.locator('[data-test=task]', { hasText: '核查' }).first().click();
    await page.locator('[data-test=do-check]').click();
    await page.locator('[data-test=confirmed-yes]').click();
    await page.locator('[data-test=text] textarea').fill('现场核查：井盖已更换到位');
    await addPhoto(page);
    await expect.poll(() => page.locator('[data-test=submit]').isEnabled()).toBe(true);
    await page.locator('[data-test=submit]').click();
    await expect
      .poll(async () => (await call('agent', 'GET', `/v1/cases/${handledId}`)).json.case.fieldCheck?.answer)
      .toMatchObject({ confirmed: true, note: '现场核查：井盖已更换到位', photoKeys: [expect.any(String)] });
  });
});
