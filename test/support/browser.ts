import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions } from 'playwright-core';

/**
 * The system Chromium (Debian's `chromium` package, installed by .ci/run) — never a browser download.
 * CHROMIUM_PATH overrides the lookup. A missing browser fails the tests rather than skipping them.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`No Chromium at ${candidates.join(', ')}: install it with apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return found;
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
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
