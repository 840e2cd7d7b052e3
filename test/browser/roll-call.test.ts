import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/platform';
import { ensureWebAppBuilt, WEB_APPS } from '#infra/local/web-apps';
import { consoleBrowserSuite, loginInConsole, loginInField } from '../support/browser.ts';
import type { startTestPlatform } from '../support/platform.ts';

/**
 * 点名 end to end in two browsers against the whole local platform: a supervisor on duty in 城管通
 * (/field/, a phone with its position emulated inside 当家村社区, one of their grids); the agent on
 * 实时地图 (/console/live) opens the supervisor's card and presses 点名 (POST /v1/staff/{id}/roll-calls,
 * the real route); the supervisor's 任务 shows the roll call with 还剩 N 分钟 and answers it with 应答; the
 * agent's console shows 点名已应答 as a notification without a reload (roll-call.answered on the live channel).
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;
const suite = consoleBrowserSuite();
beforeAll(async () => {
  ({ platform, browser } = suite);
  await ensureWebAppBuilt(REPO_ROOT, WEB_APPS.find((a) => a.name === 'field')!, () => undefined);
}, 180_000);

describe('点名 from the console, answered in 城管通', () => {
  it('the agent calls the roll from the person\'s card, the supervisor answers from /field/, and the agent sees it', async () => {
    const pageErrors: string[] = [];
    const field = await loginInField(browser, platform.url, '+8613800000003', { errors: pageErrors });
    await field.page.locator('[data-test=duty-button]', { hasText: '上班' }).click();
    await expect.poll(() => field.page.locator('[data-test=duty-state]').textContent(), { timeout: 30_000 }).toContain('在岗');
    const name = (await platform.api('/v1/me', { headers: { authorization: `Bearer ${field.session.token}` } })).json.user.displayName as string;

    const { page } = await loginInConsole(browser, platform.url, '+8613800000002');
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('open');
    await page.getByRole('link', { name: '实时地图' }).click();
    // A mark on the page's window: a reload would lose it (the map's own navigation keeps the document).
    await page.evaluate(() => ((globalThis as unknown as { rollCallMark: boolean }).rollCallMark = true));
    await page.getByTestId('on-duty-list').getByText(name).click();
    const card = page.getByTestId('person-card');
    await expect.poll(() => card.getByTestId('person-name').textContent()).toBe(name);
    await card.getByTestId('roll-call').click();
    await page.getByText(`已向 ${name} 发出点名`).waitFor();

    // 城管通: the roll call is a task with its countdown; 应答 with the phone's place, inside the grid, on time.
    await field.page.locator('[data-test=refresh]').click();
    const rollCall = field.page.locator('[data-test=roll-call]');
    await rollCall.waitFor();
    await expect.poll(() => rollCall.locator('[data-test=countdown]').textContent()).toMatch(/^还剩 (9|10) 分钟$/);
    await rollCall.locator('[data-test=roll-call-answer]').click();
    await expect.poll(() => rollCall.locator('[data-test=roll-call-verdict]').textContent(), { timeout: 30_000 }).toBe('在辖区 · 按时');

    // The console, without a reload: 点名已应答 with the person and the verdict.
    const notification = page.getByTestId('live-notification').filter({ hasText: name });
    await notification.waitFor();
    expect(await notification.getAttribute('data-type')).toBe('roll-call.answered');
    expect(await notification.textContent()).toBe(`${name} 已应答点名：在辖区，按时`);
    expect(await page.evaluate(() => (globalThis as unknown as { rollCallMark?: boolean }).rollCallMark)).toBe(true);
    expect(pageErrors).toEqual([]);
    await field.context.close();
  });
});
