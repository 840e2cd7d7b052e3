import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import sharp from 'sharp';
import { REPO_ROOT } from '#infra/local/platform';
import { ensureWebAppBuilt, WEB_APPS } from '#infra/local/web-apps';
import { normalizePhone } from '#shared/domain/phone';
import { latestCode } from './auth.ts';

/**
 * Debian's Chromium (`apt-get install chromium`, done by .ci/run), never a browser download: Playwright
 * drives it through playwright-core with its executable path.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('No Chromium found: apt-get install -y chromium (or set CHROMIUM_PATH)');
  return found;
}

export async function launchChromium(): Promise<Browser> {
  // Root in CI and on these machines: Chromium's sandbox needs a user namespace it does not get there.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}

/** Builds the console if its `dist/` is missing or older than its sources (as `npm start` does). */
export async function buildConsole(): Promise<void> {
  await ensureWebAppBuilt(REPO_ROOT, WEB_APPS.find((a) => a.name === 'console')!, () => undefined);
}

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

/** Logs in through the console's login page with the code the local stack "texted" to the outbox. */
export async function loginInConsole(browser: Browser, baseUrl: string, phone: string, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[browser ${phone.slice(-2)}] page error:`, error.message));
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByText('验证码已发送').waitFor();
  const code = await latestCode(baseUrl, normalizePhone(phone) ?? phone);
  await page.getByLabel('验证码').fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByTestId('current-user').waitFor();
  return { context, page };
}

/** The session the console keeps in localStorage (the test reads the user id and token from it). */
export async function consoleSession(page: Page): Promise<{ accessToken: string; user: { id: string; roles: string[] } }> {
  // The function runs in the page, where localStorage exists (the Node types do not know it).
  const raw = await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('citygrid.console.session'));
  return JSON.parse(raw ?? 'null');
}

/**
 * A screenshot as a small palette PNG into `.data/screenshots/` (every run) and into the docs folder
 * `path` points at when that file is missing or `UPDATE_SCREENSHOTS=1` — so a test run does not leave
 * changed images in the work tree each time.
 */
export async function screenshot(page: Page, path: string): Promise<void> {
  const raw = await page.screenshot({ animations: 'disabled' });
  const runDir = join(REPO_ROOT, '.data', 'screenshots');
  mkdirSync(runDir, { recursive: true });
  const taken = join(runDir, basename(path));
  await sharp(raw).png({ palette: true, quality: 80, compressionLevel: 9 }).toFile(taken);
  if (!existsSync(path) || process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(taken, path);
}

/** The demo point in grid 当家村社区 (雁峰街道, 雁峰区). */
export const DEMO_POINT = { latitude: 26.879, longitude: 112.613 };

/** A phone in WeChat's in-app browser: 390×844, touch, zh-CN, Beijing time, position granted. */
export const WECHAT_PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300259 MMWEBSDK/20241103 MMWEBID/1234 MicroMessenger/8.0.54.2760(0x28003637) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64',
  geolocation: DEMO_POINT,
  permissions: ['geolocation'],
};
