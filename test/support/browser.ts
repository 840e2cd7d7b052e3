import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { REPO_ROOT } from '#infra/local/platform';
import { ensureWebAppBuilt, WEB_APPS } from '#infra/local/web-apps';
import { normalizePhone } from '#shared/domain/phone';
import { latestCode } from './auth.ts';
import { startTestPlatform } from './platform.ts';

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

/**
 * Content-Security-Policy violations seen by any page of this test file: the browser reports each as a
 * console message ("Refused to …") and as a `securitypolicyviolation` event, which an init script (run by
 * the browser, not an inline script the policy could block) turns into a console message too. The files
 * check after each test that there were none.
 */
const cspViolations: string[] = [];
export async function watchCsp(context: BrowserContext): Promise<BrowserContext> {
  await context.addInitScript(() => {
    const doc = (globalThis as unknown as { document: { addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string; sourceFile: string }) => void): void } }).document;
    doc.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} in ${event.sourceFile}`));
  });
  context.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|CSP violation/i.test(text)) cspViolations.push(text);
  });
  return context;
}
/** The violations seen since the last call (and forgets them). */
export function takeCspViolations(): string[] {
  return cspViolations.splice(0);
}

/**
 * Picks `option` in an Element Plus select (or tree select) and returns once the select shows it. On a
 * busy machine the dropdown opens late, or a click lands while it is still moving and is lost: so the
 * option is awaited visible before the click, and the pick is repeated until the select shows `shown`
 * (default: the option's text). `items` is the dropdown's item selector; `filter` is typed first.
 */
export async function pickOption(
  page: Page,
  select: Locator,
  option: string,
  { items = '.el-select-dropdown__item', filter, shown = option }: { items?: string; filter?: string; shown?: string } = {},
): Promise<void> {
  const shows = async () => ((await select.textContent()) ?? '').includes(shown);
  const deadline = Date.now() + 90_000;
  for (let attempt = 1; ; attempt++) {
    const item = page.locator(`${items}:visible`, { hasText: option }).first();
    if (!(await item.isVisible())) {
      await select.click();
      if (filter) await page.keyboard.type(filter);
    }
    try {
      await item.waitFor({ state: 'visible', timeout: 20_000 });
      await item.click({ timeout: 20_000 });
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    for (let check = 0; check < 40; check++) {
      if (await shows()) return;
      await page.waitForTimeout(250);
    }
    if (Date.now() > deadline) throw new Error(`The select does not show "${shown}" after ${attempt} picks of "${option}"`);
  }
}

/** Builds the console if its `dist/` is missing or older than its sources (as `npm start` does). */
export async function buildConsole(): Promise<void> {
  await ensureWebAppBuilt(REPO_ROOT, WEB_APPS.find((a) => a.name === 'console')!, () => undefined);
}

/**
 * The set-up of a console browser file, in one place: the console built when stale, the local platform
 * (`options`: e.g. a short live re-check) and Chromium started before the file, both stopped after it,
 * and no Content-Security-Policy violation allowed after each test. The platform and browser are on the
 * returned object once the file's beforeAll hooks ran (`beforeAll(() => ({ platform, browser } = suite))`).
 */
export function consoleBrowserSuite(options: Parameters<typeof startTestPlatform>[0] = {}) {
  const suite = {} as { platform: Awaited<ReturnType<typeof startTestPlatform>>; browser: Browser };
  beforeAll(async () => {
    await buildConsole();
    suite.platform = await startTestPlatform(options);
    suite.browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.platform?.stop();
  });
  // The pages work within their Content-Security-Policy: a refused script, style, image or call fails the test.
  afterEach(() => {
    expect(takeCspViolations()).toEqual([]);
  });
  return suite;
}

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

/** Logs in through the console's login page with the code the local stack "texted" to the outbox. */
export async function loginInConsole(browser: Browser, baseUrl: string, phone: string, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // Playwright's 30 s default is short for a page waiting on the API while the machine is loaded.
  context.setDefaultTimeout(60_000);
  await watchCsp(context);
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

/** A field staff's phone (城管通): 390×844, touch, zh-CN, Beijing time, position granted at the demo point. */
export const FIELD_PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 1,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  geolocation: DEMO_POINT,
  permissions: ['geolocation'],
};

/**
 * A phone (FIELD_PHONE) with 城管通 logged in through its own login page, the code from the outbox; the
 * person's id and access token read from the app's session for checks through the API. `errors`
 * collects page errors and console errors (the caller's afterEach expects none); `clockAt` installs
 * Playwright's clock at that time before the app loads (the test then runs its timers with `runFor`).
 */
export async function loginInField(
  browser: Browser,
  baseUrl: string,
  phone: string,
  { errors, clockAt }: { errors?: string[]; clockAt?: number } = {},
): Promise<{ context: BrowserContext; page: Page; session: { token: string; id: string } }> {
  const context = await watchCsp(await browser.newContext(FIELD_PHONE));
  context.setDefaultTimeout(60_000);
  if (clockAt !== undefined) await context.clock.install({ time: clockAt });
  const page = await context.newPage();
  page.on('pageerror', (error) => (errors ? errors.push(error.message) : console.error(`[field ${phone.slice(-2)}] page error:`, error.message)));
  page.on('console', (message) => {
    if (errors && message.type() === 'error' && !/Failed to load resource|net::ERR_INTERNET_DISCONNECTED|ERR_FAILED/.test(message.text())) errors.push(message.text());
  });
  await page.goto(`${baseUrl}/field/`);
  await page.waitForURL(/\/field\/login/);
  await page.getByPlaceholder('11 位手机号').fill(phone.replace('+86', ''));
  await page.locator('[data-test=send-code]').click();
  const wanted = normalizePhone(phone) ?? phone;
  let code = '';
  for (const deadline = Date.now() + 20_000; !code; ) {
    code = await latestCode(baseUrl, wanted).catch(() => '');
    if (!code && Date.now() > deadline) throw new Error(`no SMS code for ${wanted} in the outbox`);
    if (!code) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await page.getByPlaceholder('6 位验证码').fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(/\/field\/tasks/);
  const kept = JSON.parse((await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('citygrid.field.session'))) ?? 'null');
  return { context, page, session: { token: kept.accessToken, id: kept.user.id } };
}

/** A phone in WeChat's in-app browser: the same phone, with WeChat's user agent. */
export const WECHAT_PHONE: BrowserContextOptions = {
  ...FIELD_PHONE,
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300259 MMWEBSDK/20241103 MMWEBID/1234 MicroMessenger/8.0.54.2760(0x28003637) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64',
};
