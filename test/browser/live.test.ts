import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../support/auth.ts';
import { consoleBrowserSuite, loginInConsole } from '../support/browser.ts';
import type { startTestPlatform } from '../support/platform.ts';

/**
 * 实时推送 in the console: the agent's open queue shows a report made through the API without a reload
 * (the socket's message reloads it), a notification pops up with the summary, and the menu's badge counts it.
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let browser: Browser;
// The socket is within the pages' Content-Security-Policy (connect-src 'self' covers ws: on the same host).
const suite = consoleBrowserSuite();
beforeAll(() => void ({ platform, browser } = suite));

describe('live updates in the console', () => {
  it('shows a new report in the agent\'s open queue and as a notification, without a reload', async () => {
    const { page } = await loginInConsole(browser, platform.url, '+8613800000002');
    await page.getByTestId('queue').waitFor();
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('open');
    let reloads = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) reloads++;
    });

    const citizen = await loginAs(platform.url, '13912380001', 'register');
    const address = '雁峰区实时推送测试路 8 号';
    const created = await platform.api('/v1/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${citizen.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ description: '路边堆放杂物（实时推送）', location: { lat: 26.879, lng: 112.613 }, address }),
    });
    expect(created.status).toBe(201);

    const notification = page.getByTestId('live-notification').filter({ hasText: '实时推送测试路' });
    await notification.waitFor();
    expect(await notification.getAttribute('data-type')).toBe('case.reported');
    // The open queue (待受理) reloaded by itself: the new case is a row now.
    await page.getByText(address).first().waitFor();
    expect(reloads).toBe(0);
  });
});
