import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
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
