/**
 * 城管通 (/field/) and the citizens' /m/ as a phone gets them, against the local platform (its gateway
 * gzips text as CloudFront does) in Debian's Chromium:
 * - first load: the JS and CSS the browser requests until the first screen shows (entry, preloaded and
 *   lazy chunks of that route, CSS), each built file's gzip size (goal for /field/ ≤ 200 kB);
 * - a repeat open with no network (service worker installed, context offline, CPU 4× slower by CDP
 *   `Emulation.setCPUThrottlingRate`) until the task list shows (goal ≤ 1 s): from before `page.goto` until
 *   Playwright sees the row, and inside the page from navigation start until the row enters the DOM (the
 *   wall time also holds Playwright's round trips and its injected script, ~140 ms at 4× in a trace);
 * - a queued completion (with an after photo) reaching the server after the connection returns: from
 *   `setOffline(false)` to the 2xx of `POST /v1/cases/{id}/complete` (median of 10; goal ≤ 5 s);
 * - Lighthouse 12.2.3 (mobile, its default simulated throttling) performance for /field/ and /m/
 *   (goal ≥ 90 each), installed on demand into `.data/bench-tools/` — not a devDependency
 *   (docs/decisions.md: 110 MB, 133 packages for every `npm ci`).
 * Prints tables; the figures go in docs/performance.md. Not a test: the machine is shared and noisy.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '#infra/local/ports';
import { REPO_ROOT, startPlatform } from '#infra/local/platform';
import { ensureWebAppBuilt, WEB_APPS } from '#infra/local/web-apps';
import { loginAs } from '../test/support/auth.ts';
import { chromiumPath, FIELD_PHONE, launchChromium } from '../test/support/browser.ts';
import { jpegWithGps, uploadPhoto } from '../test/support/photos.ts';

const LIGHTHOUSE_VERSION = '12.2.3';
const PHONES = { agent: '+8613800000002', handler: '+8613800000007', citizen: '+8613912377262' };
const PHONE_CONTEXT = FIELD_PHONE;

export interface FieldBench {
  firstLoad: Array<{ app: string; files: number; js: number; css: number; total: number }>;
  offlineOpenMs: number[];
  /** The same opens timed inside the page: navigation start → the first task row in the DOM (no Playwright round trips). */
  offlineOpenInPageMs: number[];
  deliveryMs: number[];
  lighthouse: Array<{ app: string; runs: Array<{ score: number; fcpMs: number; lcpMs: number; tbtMs: number; bytes: number; load: number }> }>;
  notes: string[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function benchField(options: { deliveries: number; opens: number; lighthouseRuns: number }): Promise<FieldBench> {
  for (const name of ['field', 'mobile']) await ensureWebAppBuilt(REPO_ROOT, WEB_APPS.find((a) => a.name === name)!, () => undefined);
  const platform = await startPlatform({
    port: 0,
    dynamoPort: await freePort(),
    s3Port: await freePort(),
    env: { REPORT_QUOTA_HOURLY: '1000', REPORT_QUOTA_DAILY: '1000', UPLOAD_QUOTA_HOURLY: '1000', UPLOAD_QUOTA_DAILY: '1000' },
  });
  const notes: string[] = [];
  let browser: Browser | undefined;
  try {
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${platform.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, json: (await response.json().catch(() => undefined)) as any };
    };
    const agent = await loginAs(platform.url, PHONES.agent);
    const citizen = await loginAs(platform.url, PHONES.citizen, 'register');
    const handler = await loginAs(platform.url, PHONES.handler);
    /** A case reported with a photo, filed and dispatched to the demo handler. */
    const dispatched = async (description: string) => {
      const before = await uploadPhoto(platform, citizen.accessToken, 'before', await jpegWithGps());
      let reported = await call(citizen.accessToken, 'POST', '/v1/cases', { description, location: { lat: 26.879, lng: 112.613 }, photoKeys: [before.photoKey] });
      for (let i = 0; reported.status !== 201 && i < 40; i++) {
        await new Promise((r) => setTimeout(r, 250));
        reported = await call(citizen.accessToken, 'POST', '/v1/cases', { description, location: { lat: 26.879, lng: 112.613 }, photoKeys: [before.photoKey] });
      }
      const id = reported.json.case.id as string;
      await call(agent.accessToken, 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0107' });
      const sent = await call(agent.accessToken, 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: handler.user.id });
      if (sent.status !== 200) throw new Error(`dispatch answered ${sent.status}`);
      return id;
    };
    const caseIds: string[] = [];
    for (let i = 0; i < options.deliveries; i++) caseIds.push(await dispatched(`基准测试案件 ${i + 1}：人行道井盖破损`));

    browser = await launchChromium();
    /** A phone with the handler's session where the field app keeps it (as after a login). */
    const fieldPhone = async (): Promise<BrowserContext> => {
      const context = await browser!.newContext(PHONE_CONTEXT);
      context.setDefaultTimeout(120_000);
      const session = { accessToken: handler.accessToken, accessExpiresAt: Date.now() + 3_600_000, refreshToken: handler.refreshToken, user: handler.user };
      await context.addInitScript((stored) => (globalThis as any).localStorage.setItem('citygrid.field.session', stored), JSON.stringify(session));
      return context;
    };

    // — First load: what the browser fetches for the first screen (the page's own requests, not the worker's precache). —
    const firstLoad: FieldBench['firstLoad'] = [];
    for (const [app, folder, path, ready] of [
      ['/field/ (task list, logged in)', 'field', '/field/tasks', '[data-test=task]'],
      ['/field/ (login)', 'field', '/field/login', 'input'],
      ['/m/ (home)', 'mobile', '/m/', '#app *'],
    ] as const) {
      const context = app.includes('logged in') ? await fieldPhone() : await browser.newContext(PHONE_CONTEXT);
      const page = await context.newPage();
      const assets = new Set<string>();
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (/\.(js|css)$/.test(url.pathname) && !request.serviceWorker()) assets.add(url.pathname);
      });
      await page.goto(`${platform.url}${path}`);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      const prefix = `/${path.split('/')[1]}/`;
      let js = 0;
      let css = 0;
      for (const asset of assets) {
        if (!asset.startsWith(prefix) || asset.endsWith('/sw.js')) continue;
        const size = gzipSync(readFileSync(join(REPO_ROOT, folder, 'dist', asset.slice(prefix.length))), { level: 6 }).length;
        if (asset.endsWith('.css')) css += size;
        else js += size;
      }
      firstLoad.push({ app, files: [...assets].filter((a) => a.startsWith(prefix) && !a.endsWith('/sw.js')).length, js, css, total: js + css });
      await context.close();
    }

    // — A repeat open with no network: the worker installed, the task list kept, the CPU 4× slower. —
    const context = await fieldPhone();
    let page: Page = await context.newPage();
    await page.goto(`${platform.url}/field/tasks`);
    await page.locator('[data-test=task]').first().waitFor();
    await page.waitForFunction(() => (globalThis as any).navigator.serviceWorker.controller !== null);
    await page.waitForLoadState('networkidle');
    await page.close();
    await context.setOffline(true);
    const offlineOpenMs: number[] = [];
    const offlineOpenInPageMs: number[] = [];
    for (let i = 0; i < options.opens; i++) {
      page = await context.newPage();
      // The moment the first task row enters the DOM, by the page's own clock (navigation start = 0).
      await page.addInitScript(() => {
        const g = globalThis as any;
        new g.MutationObserver((_: unknown, observer: { disconnect(): void }) => {
          if (g.document.querySelector('[data-test=task]')) {
            g.__firstTaskAt = g.performance.now();
            observer.disconnect();
          }
        }).observe(g.document, { childList: true, subtree: true });
      });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      const started = performance.now();
      await page.goto(`${platform.url}/field/tasks`, { waitUntil: 'commit' });
      await page.locator('[data-test=task]').first().waitFor();
      offlineOpenMs.push(performance.now() - started);
      offlineOpenInPageMs.push(await page.evaluate(() => (globalThis as any).__firstTaskAt as number));
      await cdp.detach();
      await page.close();
    }
    await context.setOffline(false);

    // — A queued completion reaching the server once the connection returns. —
    const deliveryMs: number[] = [];
    page = await context.newPage();
    const photo = {
      name: 'IMG_0001.jpg',
      mimeType: 'image/jpeg',
      buffer: await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 120, sigma: 40 } } }).jpeg({ quality: 90 }).toBuffer(),
    };
    for (const id of caseIds) {
      await page.goto(`${platform.url}/field/tasks/${id}`);
      await page.locator('[data-test=do-complete]').waitFor();
      await context.setOffline(true);
      await page.locator('[data-test=do-complete]').click();
      await page.locator('[data-test=photo-input] input[type=file]').setInputFiles(photo);
      await page.locator('.van-uploader__preview').first().waitFor();
      await page.locator('.van-uploader__mask').first().waitFor({ state: 'detached' });
      await page.locator('[data-test=text] textarea').fill('井盖已更换');
      await page.waitForFunction(() => !(globalThis as any).document.querySelector('[data-test=submit]')?.disabled);
      await page.locator('[data-test=submit]').click();
      await page.locator('[data-test=queue-count]').filter({ hasText: '1 项待上传' }).waitFor();
      let accepted: number | undefined;
      const onResponse = (response: { url(): string; status(): number }) => {
        if (response.url().endsWith(`/v1/cases/${id}/complete`) && response.status() < 300) accepted ??= performance.now();
      };
      context.on('response', onResponse);
      const back = performance.now();
      await context.setOffline(false);
      const deadline = Date.now() + 120_000;
      while (accepted === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      context.off('response', onResponse);
      if (accepted === undefined) throw new Error(`the completion of ${id} never reached the server`);
      deliveryMs.push(accepted - back);
      await page.locator('[data-test=queue-banner]').waitFor({ state: 'detached' });
    }
    await context.close();
    await browser.close();
    browser = undefined;

    // — Lighthouse, mobile preset, 3 runs each (median). —
    const lighthouse: FieldBench['lighthouse'] = [];
    if (options.lighthouseRuns > 0) {
      const cli = await ensureLighthouse(notes);
      for (const [app, path] of [
        ['/field/', '/field/'],
        ['/m/', '/m/'],
      ] as const) {
        const runs: FieldBench['lighthouse'][number]['runs'] = [];
        for (let i = 0; i < options.lighthouseRuns; i++) runs.push(await runLighthouse(cli, `${platform.url}${path}`));
        lighthouse.push({ app, runs });
      }
    }
    return { firstLoad, offlineOpenMs, offlineOpenInPageMs, deliveryMs, lighthouse, notes };
  } finally {
    await browser?.close();
    await platform.stop();
  }
}

/** Lighthouse 12.2.3 in `.data/bench-tools/lighthouse-12.2.3` (installed there once, with npm). */
async function ensureLighthouse(notes: string[]): Promise<string> {
  const dir = join(REPO_ROOT, '.data', 'bench-tools', `lighthouse-${LIGHTHOUSE_VERSION}`);
  const cli = join(dir, 'node_modules', 'lighthouse', 'cli', 'index.js');
  if (existsSync(cli)) return cli;
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  await run('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', `lighthouse@${LIGHTHOUSE_VERSION}`]);
  notes.push(`Installed lighthouse@${LIGHTHOUSE_VERSION} into ${dir} in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  return cli;
}

async function runLighthouse(cli: string, url: string) {
  const load = loadavg()[0]!;
  const output = await run(process.execPath, [cli, url, '--only-categories=performance', '--output=json', '--output-path=stdout', '--quiet', '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage'], {
    CHROME_PATH: process.env.CHROME_PATH ?? chromiumPath(),
  });
  const report = JSON.parse(output) as { categories: { performance: { score: number } }; audits: Record<string, { numericValue?: number }> };
  return {
    score: Math.round(report.categories.performance.score * 100),
    fcpMs: report.audits['first-contentful-paint']?.numericValue ?? NaN,
    lcpMs: report.audits['largest-contentful-paint']?.numericValue ?? NaN,
    tbtMs: report.audits['total-blocking-time']?.numericValue ?? NaN,
    bytes: report.audits['total-byte-weight']?.numericValue ?? NaN,
    load,
  };
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(`${command} ${args[0]} exited with ${code}: ${err.slice(-2000)}`))));
  });
}

const kB = (bytes: number) => (bytes / 1000).toFixed(1);

export function printFieldBench(result: FieldBench, runs: { deliveries: number; opens: number }): void {
  const table = (title: string, header: string[], rows: string[][]) => {
    console.log(`\n${title}`);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
    console.log(line(header));
    console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
    for (const r of rows) console.log(line(r));
  };
  table(
    'First load, JS + CSS the page requests for its first screen (gzip of the built files; goal for /field/ ≤ 200 kB)',
    ['page', 'files', 'JS kB', 'CSS kB', 'total kB'],
    result.firstLoad.map((r) => [r.app, String(r.files), kB(r.js), kB(r.css), kB(r.total)]),
  );
  const stats = (values: number[]) => [String(values.length), median(values).toFixed(0), Math.min(...values).toFixed(0), Math.max(...values).toFixed(0)];
  table('城管通, the phone side (Chromium, ms)', ['measure', 'runs', 'median', 'min', 'max'], [
    ['repeat open offline → task list (SW, CPU 4×; goal ≤ 1000)', ...stats(result.offlineOpenMs)],
    ['  the same, in the page: navigation start → first row in the DOM', ...stats(result.offlineOpenInPageMs)],
    ['queued completion → server 2xx after online (goal ≤ 5000)', ...stats(result.deliveryMs)],
  ]);
  if (result.lighthouse.length) {
    table(
      'Lighthouse 12.2.3, mobile preset, performance (median of the runs; goal ≥ 90)',
      ['page', 'runs', 'score', 'scores', 'FCP ms', 'LCP ms', 'TBT ms', 'KiB', 'load avg'],
      result.lighthouse.map(({ app, runs: r }) => [
        app,
        String(r.length),
        String(median(r.map((x) => x.score))),
        r.map((x) => x.score).join(' '),
        median(r.map((x) => x.fcpMs)).toFixed(0),
        median(r.map((x) => x.lcpMs)).toFixed(0),
        median(r.map((x) => x.tbtMs)).toFixed(0),
        (median(r.map((x) => x.bytes)) / 1024).toFixed(0),
        r.map((x) => x.load.toFixed(1)).join(' '),
      ]),
    );
  }
  for (const note of result.notes) console.log(`  ${note}`);
  console.log(`  (${runs.opens} offline opens, ${runs.deliveries} deliveries; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
}
