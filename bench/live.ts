/**
 * The live channel under 20 consoles: the platform runs as `npm start` does (a child process with its own
 * data folder); 20 agent accounts each hold a console made of the console's own live client
 * (`console/src/live/client.ts`: ticket, socket, backoff reconnect, `missed?since=` after a reconnect,
 * repeats dropped by id) over the `ws` package.
 *
 * 1. Latency: reports one at a time; for each, the time from sending `POST /v1/cases` to the
 *    `case.reported` message at every console.
 * 2. Burst: `burst` reports with at most `concurrency` in flight (a 5xx or 429 is sent again with the same
 *    Idempotency-Key, so a retry is never a second report); a third of the way in, 5 consoles lose their
 *    socket and come back through reconnect + `missed`. Each console should end with every report's
 *    `case.reported` exactly once: lost = reports it never got, shown twice = a report that reached it
 *    under two ids (what dropping repeats by id cannot hide). Same-id repeats (a `missed` overlapping the
 *    socket) are counted too, as the client's job.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freePort } from '#infra/local/ports';
import { killProcessGroup, startPlatformProcess } from '#infra/local/platform-process';
import { createLiveClient, type LiveMessage } from '../console/src/live/client.ts';

export interface LiveLatency {
  consoles: number;
  reports: number;
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The report's own answer (POST → 201): p50 / p95, ms. */
  answerP50Ms: number;
  answerP95Ms: number;
  /** From the 201 to the message at a console: p50 / p95, ms (the stream, the fan-out, the socket). */
  afterAnswerP50Ms: number;
  afterAnswerP95Ms: number;
  /** Reports some console never got within the wait. */
  missing: number;
}
export interface LiveBurstConsole {
  name: string;
  received: number;
  lost: number;
  shownTwice: number;
  repeatsDropped: number;
  reconnected: boolean;
}
export interface LiveBurst {
  reports: number;
  concurrency: number;
  /** First send to the last report's 201. */
  sendSeconds: number;
  /** First send until every console held every report (or the wait ended). */
  deliveredSeconds: number;
  retries: number;
  serverErrors: number;
  consoles: LiveBurstConsole[];
}
export interface LiveBenchResult {
  latency: LiveLatency;
  burst: LiveBurst;
  load: { start: number[]; end: number[] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
const ADMIN = '+8613800000001';
const CITIZEN = '+8613912350001';
const HERE = { lat: 26.879, lng: 112.613 };

/** One console: the console's live client on a `ws` socket, every message it handed on, and the raw ones. */
function makeConsole(name: string, base: string, token: string) {
  const api = async (method: string, path: string) => {
    const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    const json = (await response.json()) as never;
    if (!response.ok) throw Object.assign(new Error(`${method} ${path}: ${response.status}`), { status: response.status });
    return json;
  };
  /** Message id → how often it reached this console (socket + missed), before the client dropped repeats. */
  const raw = new Map<string, number>();
  const countRaw = (id: string) => raw.set(id, (raw.get(id) ?? 0) + 1);
  /** Case id → ids of its `case.reported` messages the client handed on (more than one = shown twice). */
  const reported = new Map<string, Set<string>>();
  const arrivedAt = new Map<string, number>();
  let socket: WebSocket | undefined;
  let reconnects = 0;
  class CountedSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      socket = this;
      this.on('message', (data) => {
        try {
          countRaw((JSON.parse(String(data)) as LiveMessage).id);
        } catch {
          // not ours
        }
      });
    }
  }
  const client = createLiveClient({
    ticket: () => api('POST', '/v1/live/tickets'),
    missed: async (since) => {
      reconnects++;
      const answer = (await api('GET', `/v1/live/missed?since=${since}`)) as { items: LiveMessage[] };
      for (const m of answer.items) countRaw(m.id);
      return answer;
    },
    WebSocket: CountedSocket as never,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    random: Math.random,
  });
  client.on('case.reported', (m) => {
    if (!m.caseId) return;
    let ids = reported.get(m.caseId);
    if (!ids) reported.set(m.caseId, (ids = new Set()));
    ids.add(m.id);
    if (!arrivedAt.has(m.caseId)) arrivedAt.set(m.caseId, performance.now());
  });
  const opened = new Promise<void>((resolve, reject) => {
    const off = client.onStatus((status) => {
      if (status === 'open') resolve(off());
      if (status === 'ended') reject(new Error(`${name}: the live channel was refused`));
    });
  });
  client.start();
  return {
    name,
    client,
    opened,
    raw,
    reported,
    arrivedAt,
    reconnects: () => reconnects,
    /** The socket drops as a network would (no close frame): the client must reconnect and catch up. */
    drop: () => socket?.terminate(),
  };
}
type Console = ReturnType<typeof makeConsole>;

/** Waits until every console has a `case.reported` for every one of `caseIds`, or `timeoutMs` passed. */
async function allDelivered(consoles: Console[], caseIds: string[], timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(20)) {
    if (consoles.every((c) => caseIds.every((id) => c.reported.has(id)))) return true;
  }
  return false;
}

export async function benchLive(options: { consoles: number; latencyReports: number; burst: number; concurrency: number; log?: (line: string) => void }): Promise<LiveBenchResult> {
  const log = options.log ?? (() => undefined);
  const dataDir = mkdtempSync(join(tmpdir(), 'citygrid-live-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CITYGRID_DATA_DIR: dataDir,
    CITYGRID_SKIP_WEB_BUILD: '1',
    PORT: String(await freePort()),
    DYNAMODB_PORT: String(await freePort()),
    S3_PORT: String(await freePort()),
    REPORT_QUOTA_HOURLY: '100000',
    REPORT_QUOTA_DAILY: '100000',
    SMS_IP_HOURLY_LIMIT: '100000',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  const base = `http://127.0.0.1:${env.PORT}`;
  let platform: ChildProcess | undefined;
  const consoles: Console[] = [];
  const post = async (token: string | undefined, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
  };
  const login = async (phone: string, purpose: 'login' | 'register' = 'login') => {
    const sent = await post(undefined, '/v1/auth/sms-codes', { phone, purpose });
    if (sent.status !== 202) throw new Error(`sms-codes for a bench phone: ${sent.status}`);
    const outbox = (await (await fetch(`${base}/dev/outbox?limit=100`)).json()) as { items: Array<{ destination: string; body: string }> };
    const code = /\d{6}/.exec(outbox.items.find((m) => m.destination === phone && /\d{6}/.test(m.body))?.body ?? '')?.[0];
    const answer = await post(undefined, purpose === 'login' ? '/v1/auth/login' : '/v1/auth/register', { phone, code });
    if (answer.status >= 300) throw new Error(`${purpose}: ${answer.status}`);
    return (answer.json as { accessToken: string }).accessToken;
  };

  let retries = 0;
  let serverErrors = 0;
  let citizen = '';
  /** One report; a 5xx or 429 is sent again with the same Idempotency-Key (the same report, not a second). */
  const report = async (description: string): Promise<string> => {
    const key = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const answer = await post(citizen, '/v1/cases', { description, location: HERE }, { 'idempotency-key': key });
      if (answer.status === 201 || answer.status === 200) return (answer.json as { case: { id: string } }).case.id;
      if ((answer.status >= 500 || answer.status === 429) && attempt < 8) {
        if (answer.status >= 500) serverErrors++;
        retries++;
        await sleep(Number(answer.headers.get('retry-after') ?? 0) * 1000 || 200 * 2 ** attempt);
        continue;
      }
      throw new Error(`report: ${answer.status} ${JSON.stringify(answer.json)}`);
    }
  };

  const loadStart = loadavg();
  try {
    platform = (await startPlatformProcess(env, 180_000)).child;
    log(`platform up at ${base}`);
    // 20 agent accounts (agents hear every message), each logged in as its own console.
    const admin = await login(ADMIN);
    const phones = Array.from({ length: options.consoles }, (_, i) => `+86136${String(10_000_000 + i).slice(-8)}`);
    const batch = await post(admin, '/v1/admin/staff/batch', {
      items: phones.map((phone, i) => ({ phone, displayName: `坐席 ${i + 1}`, roles: ['agent'], departmentId: 'city-bureau' })),
    });
    if (batch.status !== 200) throw new Error(`staff batch: ${batch.status} ${JSON.stringify(batch.json)}`);
    citizen = await login(CITIZEN, 'register');
    for (const [i, phone] of phones.entries()) consoles.push(makeConsole(`console ${i + 1}`, base, await login(phone)));
    await Promise.all(consoles.map((c) => c.opened));
    log(`${consoles.length} consoles connected`);

    // 1. Latency: one report at a time, each waited for at every console.
    const lags: number[] = [];
    const answers: number[] = [];
    const afterAnswer: number[] = [];
    let missing = 0;
    for (let i = 0; i < options.latencyReports; i++) {
      const sent = performance.now();
      const id = await report(`实时推送延迟测试 ${i + 1}`);
      const answered = performance.now();
      answers.push(answered - sent);
      if (!(await allDelivered(consoles, [id], 30_000))) missing++;
      for (const c of consoles) {
        const at = c.arrivedAt.get(id);
        if (at !== undefined) {
          lags.push(at - sent);
          afterAnswer.push(at - answered);
        }
      }
      await sleep(100);
    }
    for (const list of [lags, answers, afterAnswer]) list.sort((a, b) => a - b);
    const latency: LiveLatency = {
      consoles: consoles.length,
      reports: options.latencyReports,
      samples: lags.length,
      p50Ms: percentile(lags, 0.5),
      p95Ms: percentile(lags, 0.95),
      maxMs: lags.at(-1) ?? NaN,
      answerP50Ms: percentile(answers, 0.5),
      answerP95Ms: percentile(answers, 0.95),
      afterAnswerP50Ms: percentile(afterAnswer, 0.5),
      afterAnswerP95Ms: percentile(afterAnswer, 0.95),
      missing,
    };
    log(`latency: p50 ${latency.p50Ms.toFixed(0)} ms, p95 ${latency.p95Ms.toFixed(0)} ms`);

    // 2. The burst, bounded in flight; 5 consoles drop their socket a third of the way in.
    const before = new Map(consoles.map((c) => [c, c.reconnects()]));
    const dropped = new Set(consoles.slice(0, 5));
    const ids: string[] = [];
    const queue = Array.from({ length: options.burst }, (_, i) => i);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          if (i === Math.floor(options.burst / 3)) for (const c of dropped) c.drop();
          ids.push(await report(`实时推送突发测试 ${i + 1}`));
        }
      }),
    );
    const sendSeconds = (performance.now() - started) / 1000;
    log(`burst sent in ${sendSeconds.toFixed(1)} s (${retries} retries)`);
    await allDelivered(consoles, ids, 180_000);
    const deliveredSeconds = (performance.now() - started) / 1000;
    // A moment more, so a late repeat would still be counted.
    await sleep(2000);
    const burst: LiveBurst = {
      reports: options.burst,
      concurrency: options.concurrency,
      sendSeconds,
      deliveredSeconds,
      retries,
      serverErrors,
      consoles: consoles.map((c) => {
        const burstIds = ids.map((id) => c.reported.get(id));
        const messageIds = burstIds.flatMap((set) => [...(set ?? [])]);
        return {
          name: c.name,
          received: burstIds.filter((set) => set && set.size > 0).length,
          lost: burstIds.filter((set) => !set || set.size === 0).length,
          shownTwice: burstIds.filter((set) => set && set.size > 1).length,
          repeatsDropped: messageIds.reduce((n, id) => n + Math.max(0, (c.raw.get(id) ?? 0) - 1), 0),
          reconnected: c.reconnects() > before.get(c)!,
        };
      }),
    };
    return { latency, burst, load: { start: loadStart, end: loadavg() } };
  } finally {
    for (const c of consoles) c.client.stop();
    if (platform) await killProcessGroup(platform);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const line = (cells: string[], widths: number[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
function table(title: string, header: string[], rows: string[][]) {
  console.log(`\n${title}`);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(line(header, widths));
  console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log(line(r, widths));
}

/** Prints the latency row, the burst's per-console counts and its totals. */
export function printLiveBench(result: LiveBenchResult): void {
  const { latency, burst, load } = result;
  const ms = (n: number) => n.toFixed(0);
  table(`Live: report → case.reported at each of ${latency.consoles} consoles (one report at a time; goal p95 ≤ 1000 ms)`, ['case', 'reports', 'messages', 'p50 ms', 'p95 ms', 'max ms', 'missing'], [
    ['POST /v1/cases → console', String(latency.reports), String(latency.samples), ms(latency.p50Ms), ms(latency.p95Ms), ms(latency.maxMs), String(latency.missing)],
  ]);
  console.log(
    `\n  of which: the report's own answer (POST → 201) p50 ${ms(latency.answerP50Ms)} / p95 ${ms(latency.answerP95Ms)} ms; ` +
      `201 → console (stream, fan-out, socket) p50 ${ms(latency.afterAnswerP50Ms)} / p95 ${ms(latency.afterAnswerP95Ms)} ms`,
  );
  table(
    `Live: a burst of ${burst.reports} reports, ${burst.concurrency} in flight, 5 consoles dropping their socket a third of the way in (goal: 0 lost, 0 shown twice)`,
    ['console', 'received', 'lost', 'shown twice', 'repeats dropped', 'reconnected'],
    burst.consoles.map((c) => [c.name, String(c.received), String(c.lost), String(c.shownTwice), String(c.repeatsDropped), c.reconnected ? 'yes' : 'no']),
  );
  const sum = (f: (c: LiveBurstConsole) => number) => burst.consoles.reduce((n, c) => n + f(c), 0);
  console.log(
    `\n  burst: sent in ${burst.sendSeconds.toFixed(1)} s (${(burst.reports / burst.sendSeconds).toFixed(1)} reports/s), every console complete ${burst.deliveredSeconds.toFixed(1)} s after the first send; ` +
      `${burst.serverErrors} 5xx and ${burst.retries} retries (same Idempotency-Key); totals: ${sum((c) => c.lost)} lost, ${sum((c) => c.shownTwice)} shown twice, ${sum((c) => c.repeatsDropped)} repeats dropped by id`,
  );
  console.log(`  load average (1/5/15 min): ${load.start.map((n) => n.toFixed(2)).join(' / ')} at the start, ${load.end.map((n) => n.toFixed(2)).join(' / ')} at the end (2 cores)`);
}
