import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { freePort } from '#infra/local/ports';
import { startPlatform } from '#infra/local/platform';
import { buildConsole, consoleSession, launchChromium, loginInConsole } from '../test/support/browser.ts';

/**
 * The wall (/console/wall) open for `minutes` in Chromium against the in-process platform while a
 * supervisor reports a case every 5 s (through the API) and sends a track point every 5 s; 20 reports
 * are made before the page opens and the agent rejects the oldest report once more than 20 are open,
 * so the open cases — and what the page should hold — stay level while the page keeps replacing its
 * dots, rows and figures: any growth of the page's heap is the page's, not the city's.
 *
 * Each minute: a forced GC (CDP `HeapProfiler.collectGarbage`), then `Runtime.getHeapUsage` and
 * `Memory.getDOMCounters` (nodes, JS event listeners). The growth rate is the least-squares slope of
 * the used heap over the samples after the first minute, per hour, beside the spread of the samples
 * around that line (the noise), and the load average of the machine at each sample.
 */
export interface WallSample {
  minute: number;
  usedMB: number;
  totalMB: number;
  nodes: number;
  listeners: number;
  reports: number;
  load1: number;
}
export interface WallHeapResult {
  samples: WallSample[];
  /** MB per hour, least squares over the samples after the first minute. */
  slopeMBPerHour: number;
  /** Standard deviation of those samples around the line (MB). */
  noiseMB: number;
  reports: number;
  rejected: number;
  errors: number;
}

const AGENT = '+8613800000002';
const SUPERVISOR = '+8613800000003';
const HERE = { lat: 26.879, lng: 112.613 };
const KEEP_OPEN = 20;
const EVERY_MS = 5_000;

interface Login {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; displayName: string; roles: string[] };
}

async function login(baseUrl: string, phone: string): Promise<Login> {
  const post = (path: string, body: unknown) => fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const sent = await post('/v1/auth/sms-codes', { phone, purpose: 'login' });
  if (sent.status !== 202) throw new Error(`sms-codes answered ${sent.status}`);
  const outbox = (await (await fetch(`${baseUrl}/dev/outbox?limit=100`)).json()) as { items: Array<{ destination: string; body: string }> };
  const code = /\d{6}/.exec(outbox.items.find((m) => m.destination === phone && /\d{6}/.test(m.body))!.body)![0];
  const response = await post('/v1/auth/login', { phone, code });
  if (response.status !== 200) throw new Error(`login answered ${response.status}`);
  return (await response.json()) as Login;
}

/**
 * `snapshotDir`: also writes a heap snapshot after the GC of minute 1 and of the last minute
 * (`wall-1.heapsnapshot`, `wall-N.heapsnapshot`; open them in Chrome DevTools → Memory → Comparison).
 */
export async function benchWallHeap(minutes: number, log: (line: string) => void = () => undefined, snapshotDir?: string): Promise<WallHeapResult> {
  await buildConsole();
  const platform = await startPlatform({ port: 0, dynamoPort: await freePort(), s3Port: await freePort() });
  const browser = await launchChromium();
  const timers: Array<ReturnType<typeof setInterval>> = [];
  try {
    const supervisor = await login(platform.url, SUPERVISOR);
    const call = (token: string, method: string, path: string, body?: unknown) =>
      fetch(`${platform.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const started = await call(supervisor.accessToken, 'POST', '/v1/me/duty', { action: 'start', location: HERE });
    if (started.status !== 200) throw new Error(`duty start answered ${started.status}`);

    // The open reports at their level before the page opens: from then on each report replaces one.
    const open: string[] = [];
    for (let i = 0; i < KEEP_OPEN; i++) {
      const reported = await call(supervisor.accessToken, 'POST', '/v1/cases', { description: `大屏内存测试（预置）第 ${i + 1} 件`, location: HERE });
      if (reported.status !== 201) throw new Error(`report answered ${reported.status}`);
      open.push(((await reported.json()) as { case: { id: string } }).case.id);
    }

    // The agent logs in through the console's login page (the session as the app keeps it), then opens the wall.
    const { context, page } = await loginInConsole(browser, platform.url, AGENT, { width: 1920, height: 1080 });
    const agent = { accessToken: (await consoleSession(page)).accessToken };
    let pageErrors = 0;
    page.on('pageerror', () => (pageErrors += 1));
    await page.goto(`${platform.url}/console/wall`);
    await page.getByTestId('wall').waitFor({ timeout: 60_000 });
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.enable');

    // The load: a report every 5 s, a track point every 5 s, the oldest report rejected beyond 20 open.
    let reports = 0;
    let rejected = 0;
    let errors = 0;
    let step = 0;
    const inFlight = new Set<Promise<unknown>>();
    timers.push(
      setInterval(() => {
        step += 1;
        const at = { lat: HERE.lat + ((step % 40) - 20) * 0.0001, lng: HERE.lng + ((step % 30) - 15) * 0.0001 };
        const done = (async () => {
          const reported = await call(supervisor.accessToken, 'POST', '/v1/cases', { description: `大屏内存测试第 ${step} 件`, location: at });
          if (reported.status !== 201) return void (errors += 1);
          reports += 1;
          open.push(((await reported.json()) as { case: { id: string } }).case.id);
          while (open.length > KEEP_OPEN) {
            const oldest = open.shift()!;
            const answer = await call(agent.accessToken, 'POST', `/v1/cases/${oldest}/reject`, { reason: '大屏内存测试：不予立案' });
            if (answer.status === 200) rejected += 1;
            else errors += 1;
          }
          const tracked = await call(supervisor.accessToken, 'POST', '/v1/me/track-points', { points: [{ ...at, at: new Date().toISOString() }] });
          if (tracked.status !== 202) errors += 1;
        })().catch(() => (errors += 1));
        inFlight.add(done);
        void done.finally(() => inFlight.delete(done));
      }, EVERY_MS),
    );

    const samples: WallSample[] = [];
    const sample = async (minute: number) => {
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
      const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number; jsEventListeners: number };
      const row = { minute, usedMB: heap.usedSize / 2 ** 20, totalMB: heap.totalSize / 2 ** 20, nodes: dom.nodes, listeners: dom.jsEventListeners, reports, load1: loadavg()[0]! };
      samples.push(row);
      if (snapshotDir && (minute === 1 || minute === minutes)) await snapshot(cdp, join(snapshotDir, `wall-${minute}.heapsnapshot`));
      log(`  minute ${minute}: heap ${row.usedMB.toFixed(2)} MB, ${row.nodes} DOM nodes, ${row.listeners} listeners, ${reports} reports, load ${row.load1.toFixed(1)}`);
    };
    await sample(0);
    for (let minute = 1; minute <= minutes; minute++) {
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      await sample(minute);
    }
    for (const timer of timers.splice(0)) clearInterval(timer);
    await Promise.all(inFlight);
    if (pageErrors) errors += pageErrors;

    const after = samples.filter((s) => s.minute >= 1);
    const { slope, noise } = fit(after.map((s) => [s.minute / 60, s.usedMB] as const));
    return { samples, slopeMBPerHour: slope, noiseMB: noise, reports, rejected, errors };
  } finally {
    for (const timer of timers) clearInterval(timer);
    await browser.close();
    await platform.stop();
  }
}

async function snapshot(cdp: CDPSession, path: string): Promise<void> {
  const chunks: string[] = [];
  const collect = (event: { chunk: string }) => void chunks.push(event.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, chunks.join(''));
}

/** Least squares y = a + b·x; the standard deviation of the residuals. */
function fit(points: ReadonlyArray<readonly [number, number]>): { slope: number; noise: number } {
  const n = points.length;
  if (n < 2) return { slope: 0, noise: 0 };
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const slope = sxx ? sxy / sxx : 0;
  const residuals = points.map(([x, y]) => y - (my + slope * (x - mx)));
  const noise = Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / Math.max(1, n - 2));
  return { slope, noise };
}

export function printWallHeap(result: WallHeapResult, minutes: number): void {
  console.log(`\n## The wall (/console/wall) open ${minutes} min, a report + a track point every 5 s, ≤ ${KEEP_OPEN} open reports (forced GC before each sample)\n`);
  console.log('| minute | JS heap used (MB) | heap total (MB) | DOM nodes | JS listeners | reports so far | load (1 min) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of result.samples) {
    console.log(`| ${s.minute} | ${s.usedMB.toFixed(2)} | ${s.totalMB.toFixed(2)} | ${s.nodes} | ${s.listeners} | ${s.reports} | ${s.load1.toFixed(1)} |`);
  }
  const after = result.samples.filter((s) => s.minute >= 1);
  const range = after.length ? Math.max(...after.map((s) => s.usedMB)) - Math.min(...after.map((s) => s.usedMB)) : 0;
  console.log(
    `\nJS heap growth after the first minute: ${result.slopeMBPerHour >= 0 ? '+' : ''}${result.slopeMBPerHour.toFixed(2)} MB/h ` +
      `(least squares over ${after.length} samples; spread around the line ±${result.noiseMB.toFixed(2)} MB, min–max ${range.toFixed(2)} MB); ` +
      `${result.reports} reports, ${result.rejected} rejected, ${result.errors} failed calls or page errors.`,
  );
}
