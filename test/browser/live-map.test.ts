import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/platform';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';
import { buildConsole, consoleSession, launchChromium, loginInConsole, screenshot, takeCspViolations } from '../support/browser.ts';

/**
 * 实时地图 and 大屏 in a real browser against the whole local platform: a supervisor goes on duty and
 * walks (through the API, as the field app would), cases are reported, and the agent's console shows
 * them on the live map — a report made while the map or the wall is open arrives through the live
 * channel, without a reload — replays the supervisor's track for today, and the wall at 1920×1080
 * counts today's reports. Screenshots go to docs/console/.
 */
const SHOTS = join(REPO_ROOT, 'docs', 'console');
const AGENT = '+8613800000002';
const SUPERVISOR = '+8613800000003';
/** In grid 当家村社区 (雁峰街道): the supervisor's walk, WGS-84. */
const WALK = [
  { lat: 26.8786, lng: 112.6124 },
  { lat: 26.8791, lng: 112.6129 },
  { lat: 26.8796, lng: 112.6133 },
  { lat: 26.8801, lng: 112.6138 },
  { lat: 26.8805, lng: 112.6144 },
];

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;
let agent: { context: BrowserContext; page: Page };
let supervisor: { token: string; id: string; name: string };

const as = (token: string) => (method: string, path: string, body?: unknown) =>
  platform.api(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  await buildConsole();
  platform = await startTestPlatform();
  browser = await launchChromium();
  const login = await loginAs(platform.url, SUPERVISOR);
  supervisor = { token: login.accessToken, id: login.user.id, name: (login.user as unknown as { displayName: string }).displayName };
  agent = await loginInConsole(browser, platform.url, AGENT);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});
afterEach(() => {
  expect(takeCspViolations()).toEqual([]);
});

/** Two reports in the supervisor's grid (patrol), today. */
async function report(description: string, at: { lat: number; lng: number }) {
  const response = await as(supervisor.token)('POST', '/v1/cases', { description, location: at, address: '雁峰区雁峰街道当家村社区' });
  expect(response.status).toBe(201);
  return response.json.case.id as string;
}

describe('实时地图', () => {
  it('shows the supervisor on duty with the age of their last position, and the open cases coloured by status', async () => {
    // 上班 a quarter of an hour ago (but today in Asia/Shanghai), then a point every few minutes.
    const now = Date.now();
    const localMidnight = now - ((now + 8 * 3_600_000) % 86_400_000);
    const start = Math.max(now - 15 * 60_000, localMidnight + 1_000);
    const step = (now - 60_000 - start) / WALK.length;
    const call = as(supervisor.token);
    expect((await call('POST', '/v1/me/duty', { action: 'start', location: WALK[0], at: new Date(start).toISOString() })).status).toBe(200);
    const points = WALK.map((p, i) => ({ ...p, accuracyMetres: 8, at: new Date(start + (i + 1) * step).toISOString() }));
    const sent = await call('POST', '/v1/me/track-points', { points });
    expect(sent.status).toBe(202);
    expect(sent.json).toEqual({ accepted: WALK.length, dropped: 0 });
    await report('人行道上堆放建筑垃圾（实时地图测试）', { lat: 26.8795, lng: 112.6125 });
    await report('井盖缺失（实时地图测试）', { lat: 26.8802, lng: 112.6141 });

    const page = agent.page;
    await page.getByRole('link', { name: '实时地图' }).click();
    await page.waitForURL('**/console/live');
    const list = page.getByTestId('on-duty-list');
    await list.getByText(supervisor.name).waitFor();
    // The last point was about a minute ago.
    expect(await list.textContent()).toMatch(/(\d+ 分钟前|刚刚)/);
    await expect.poll(() => page.getByTestId('count-reported').textContent()).toBe('2');
    expect(await page.getByTestId('count-staff').textContent()).toBe('1');
    // Two case dots and one person on the map (SVG paths and a marker element).
    await expect.poll(() => page.locator('path.cg-case-dot--reported').count()).toBe(2);
    expect(await page.locator('.cg-person-icon').count()).toBe(1);
    expect(await page.locator('.cg-person__label').textContent()).toContain(supervisor.name);
  });

  it('adds a case reported through the API to the open map without a reload, through the live channel', async () => {
    const page = agent.page;
    // With the live channel open the page reads the picture again only every 5 minutes (its safety
    // poll): within this test only a live message can bring the new case in (the old page polled every 30 s).
    await expect.poll(() => page.getByTestId('live-state').textContent()).toContain('实时更新中');
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await report('路灯不亮（实时推送测试）', { lat: 26.8788, lng: 112.6136 });
    await expect.poll(() => page.locator('path.cg-case-dot--reported').count()).toBe(3);
    expect(await page.getByTestId('count-reported').textContent()).toBe('3');
    // The same document (no reload), still on the live channel.
    expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await page.getByTestId('live-state').textContent()).toContain('实时更新中');
  });

  it("replays the person's track for today from their card: the line, duty span, minutes and distance", async () => {
    const page = agent.page;
    await page.getByTestId('on-duty-list').getByText(supervisor.name).click();
    const card = page.getByTestId('person-card');
    await card.waitFor();
    expect(await card.getByTestId('person-name').textContent()).toBe(supervisor.name);
    expect(await card.textContent()).toContain('上班时间');
    await card.getByTestId('track-replay').click();
    await expect.poll(() => card.getByTestId('track-points').textContent()).toBe(String(WALK.length));
    // One polyline drawn (one duty span), the start, the end and the playhead on it.
    expect(await page.locator('path.cg-track-line').count()).toBe(1);
    expect(await page.locator('path.cg-track-start').count()).toBe(1);
    expect(await page.locator('path.cg-track-playhead').count()).toBe(1);
    expect(await card.getByTestId('track-spans').textContent()).toMatch(/\d\d:\d\d–至今/);
    const figures = (await card.getByTestId('track-figures').textContent()) ?? '';
    expect(figures).toMatch(/在岗\d+ 分钟/);
    expect(figures).toMatch(/里程\d+ 米/);
    // The API's own figures for the same day are what the card shows.
    const track = (await as((await consoleSession(page)).accessToken)('GET', `/v1/staff/${supervisor.id}/track`)).json;
    expect(figures).toContain(`里程${Math.round(track.distanceMetres)} 米`);
    // 播放 moves the playhead back to the start and along the line.
    const at = () => page.locator('path.cg-track-playhead').getAttribute('d');
    const end = await at();
    await card.getByTestId('track-play').click();
    await expect.poll(at).not.toBe(end);
    await expect.poll(() => card.getByTestId('track-play').textContent()).toBe('播放');
    await screenshot(page, join(SHOTS, 'live-map.png'));
  });
});

describe('大屏', () => {
  it('renders at 1920×1080 with no menu: today’s figures, the map, the latest cases and the overdue list', async () => {
    // Today's counters are written by the event processor a moment after the reports.
    const token = (await consoleSession(agent.page)).accessToken;
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await expect.poll(async () => (await as(token)('GET', `/v1/stats/summary?from=${today}&to=${today}`)).json.received).toBeGreaterThanOrEqual(2);
    const page = await agent.context.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${platform.url}/console/wall`);
    await page.getByTestId('wall').waitFor();
    expect(await page.getByTestId('current-user').count()).toBe(0);
    expect(await page.getByRole('navigation', { name: '主导航' }).count()).toBe(0);
    // The reports of this file so far, received today.
    await expect.poll(async () => Number(await page.getByTestId('wall-received').locator('.figure-value').innerText().then((t) => t.replace(/\D/g, '')))).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId('wall-latest').locator('li').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('wall-latest').textContent()).toContain('井盖缺失');
    expect(await page.getByTestId('wall-onDuty').textContent()).toContain('1');
    await expect.poll(() => page.locator('path.cg-case-dot').count()).toBe(3);
    expect(await page.locator('.cg-person-icon').count()).toBe(1);
    // A report made while the wall is open rolls into 最新案件 and onto the map, without a reload.
    await expect.poll(() => page.getByTestId('wall-live').textContent()).toContain('实时');
    expect(await page.getByTestId('wall-live').textContent()).not.toContain('定时刷新');
    // (The rolling row shows the live message's summary: 新上报 and the address.)
    const reported = await as(supervisor.token)('POST', '/v1/cases', { description: '占道经营（大屏实时测试）', location: { lat: 26.8799, lng: 112.6128 }, address: '雁峰区雁峰街道大屏实时测试路 1 号' });
    expect(reported.status).toBe(201);
    await expect.poll(() => page.getByTestId('wall-latest').textContent()).toContain('大屏实时测试路 1 号');
    await expect.poll(() => page.locator('path.cg-case-dot').count()).toBe(4);
    // Nothing spills out of the 1920×1080 screen.
    const size = await page.evaluate(() => {
      const { scrollWidth, scrollHeight } = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; scrollHeight: number } } }).document.documentElement;
      return [scrollWidth, scrollHeight];
    });
    expect(size).toEqual([1920, 1080]);
    await screenshot(page, join(SHOTS, 'wall.png'));
    await page.close();
  });
});
