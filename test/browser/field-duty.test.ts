import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/platform';
import { ensureWebAppBuilt, WEB_APPS } from '#infra/local/web-apps';
import { loginAs } from '../support/auth.ts';
import { launchChromium, loginInField, screenshot, takeCspViolations } from '../support/browser.ts';
import { startTestPlatform } from '../support/platform.ts';

/**
 * 城管通 (/field/) on duty, in the system Chromium as a phone (390×844, geolocation emulated at the demo
 * point inside 当家村社区): the supervisor presses 上班 and, while on duty, the app takes a track point
 * every 60 s — the real interval, driven by Playwright's clock (installed six minutes behind the
 * server, so that four minutes run forward stay in the past for the server's "at most 5 min ahead");
 * an agent calls the roll through the API; the supervisor sees it in 任务 with its countdown, answers
 * with 应答 and sees 在辖区 · 按时; the API counts it answered on time; 下班 ends the duty.
 */
const SHOTS = join(REPO_ROOT, 'docs', 'field');
const PHONES = { agent: '+8613800000002', supervisor: '+8613800000003', leader: '+8613800000008' };

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;
const pageErrors: string[] = [];
const sessions: Record<string, { token: string; id: string }> = {};

beforeAll(async () => {
  await ensureWebAppBuilt(REPO_ROOT, WEB_APPS.find((a) => a.name === 'field')!, () => undefined);
  [platform, browser] = await Promise.all([startTestPlatform(), launchChromium()]);
  for (const who of ['agent', 'leader'] as const) {
    const session = await loginAs(platform.url, PHONES[who]);
    sessions[who] = { token: session.accessToken, id: session.user.id };
  }
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

describe('城管通 on duty: 上班, track points, a roll call answered from the task list', () => {
  it('goes on duty, sends a track point a minute, answers a roll call on time inside the area, and goes off duty', async () => {
    const { context, page, session } = await loginInField(browser, platform.url, PHONES.supervisor, {
      errors: pageErrors,
      clockAt: Date.now() - 6 * 60_000,
    });
    sessions.supervisor = session;
    await page.locator('[data-test=duty-button]', { hasText: '上班' }).click();
    await expect.poll(async () => (await call('supervisor', 'GET', '/v1/me/duty')).json.duty.onDuty, { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.locator('[data-test=duty-state]').textContent()).toContain('在岗');
    // The 上班 point, then one a minute: the fifth fills a batch, queued and sent (POST /v1/me/track-points).
    for (let minute = 1; minute <= 4; minute++) await page.clock.runFor(60_000);
    await expect.poll(async () => (await call('supervisor', 'GET', '/v1/me/track')).json.points.length, { timeout: 30_000 }).toBe(5);
    const times = (await call('supervisor', 'GET', '/v1/me/track')).json.points.map((p: { at: string }) => Date.parse(p.at)).sort();
    // The ticks are exactly a minute apart (the 上班 point comes just before the first tick's minute starts).
    expect(times.slice(2).map((t: number, i: number) => t - times[i + 1]!)).toEqual([60_000, 60_000, 60_000]);

    // The clock back to the server's time (no timer fired by the jump): the roll call's countdown as a person sees it.
    await page.clock.setSystemTime(Date.now());
    const called = await call('agent', 'POST', `/v1/staff/${session.id}/roll-calls`, { note: '请报告当前位置' });
    expect(called.status).toBe(201);
    await page.locator('[data-test=refresh]').click();
    const rollCall = page.locator('[data-test=roll-call]');
    await rollCall.waitFor();
    // Due in ROLL_CALL_MINUTES (10): a minute or so has gone by the time the page shows it.
    await expect.poll(() => rollCall.locator('[data-test=countdown]').textContent()).toMatch(/^还剩 (9|10) 分钟$/);
    await page.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    await screenshot(page, join(SHOTS, 'roll-call.png'));

    await rollCall.locator('[data-test=roll-call-answer]').click();
    await expect.poll(() => rollCall.locator('[data-test=roll-call-verdict]').textContent(), { timeout: 30_000 }).toBe('在辖区 · 按时');
    expect(await rollCall.textContent()).toContain('已应答，按时，在辖区内');
    expect((await call('supervisor', 'GET', '/v1/me/roll-calls')).json.items).toEqual([]);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const evaluation = await call('leader', 'GET', `/v1/stats/staff?role=supervisor&from=${today}&to=${today}`);
    expect(evaluation.json.items.find((i: { userId: string }) => i.userId === session.id)).toMatchObject({ rollCalls: 1, rollCallsAnsweredOnTime: 1 });

    await page.locator('[data-test=duty-button]', { hasText: '下班' }).click();
    await expect.poll(async () => (await call('supervisor', 'GET', '/v1/me/duty')).json.duty.onDuty, { timeout: 30_000 }).toBe(false);
    await context.close();
  });
});
