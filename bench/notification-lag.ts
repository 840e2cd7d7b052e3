/**
 * Notification lag: how long after an action its effects reach the local outbox (the stand-in for SNS:
 * the `case-events` message and the citizen's SMS). The platform runs as `npm start` does — a child
 * process group with its own data folder — so the third scenario can `kill -9` it in the middle of a
 * backlog and start it again on the same folder, as a user would.
 *
 * The lag of a topic message is its `createdAt` minus the event's own `at` (both stamped by the
 * platform, same clock); the lag of a filing's SMS is its `createdAt` minus the filing event's `at`.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '#infra/local/ports';
import { killProcessGroup, startPlatformProcess } from '#infra/local/platform-process';
import { createOutbox } from '#shared/adapters/outbox';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';
import { caseNumberLabel } from '#shared/domain/cases/views';

export interface LagRow {
  name: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

interface OutboxItem {
  channel: string;
  destination: string;
  body: string;
  createdAt: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CITIZEN = '+8613912340001';
const AGENT = '+8613800000002';

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
function row(name: string, lags: number[]): LagRow {
  const sorted = [...lags].sort((a, b) => a - b);
  return { name, count: sorted.length, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), maxMs: sorted.at(-1) ?? NaN };
}

/**
 * The three scenarios: `atRest` actions one at a time on an idle platform; a burst of `burst` reports
 * (20 at a time) and the filings made right after it; `kill -9` during a backlog of filings, a restart,
 * and filings made right after the restart.
 */
export async function benchNotificationLag(options: { burst: number; atRest: number }): Promise<{ rows: LagRow[]; notes: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'citygrid-lag-'));
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
  const client = createDocumentClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${env.DYNAMODB_PORT}` });
  const outbox = createOutbox({ client, name: 'citygrid-local' } as Table);
  const rows: LagRow[] = [];
  const notes: string[] = [];
  let platform: ChildProcess | undefined;

  /** Every outbox message created at or after `since` (ISO), newest first. */
  const messagesSince = async (since: string): Promise<OutboxItem[]> => {
    const items: OutboxItem[] = [];
    let cursor: string | undefined;
    do {
      const page = await outbox.list({ limit: 100, ...(cursor ? { cursor } : {}) });
      const fresh = (page.items as OutboxItem[]).filter((m) => m.createdAt >= since);
      items.push(...fresh);
      cursor = fresh.length === page.items.length ? page.nextCursor : undefined;
    } while (cursor);
    return items;
  };
  const post = async (token: string | undefined, path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { case: { id: string; caseNumber?: string }; accessToken: string };
    if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const login = async (phone: string, purpose: 'login' | 'register') => {
    const since = new Date(Date.now() - 1000).toISOString();
    await post(undefined, '/v1/auth/sms-codes', { phone, purpose });
    const message = (await messagesSince(since)).find((m) => m.destination === phone);
    const code = /\d{6}/.exec(message?.body ?? '')?.[0];
    if (!code) throw new Error(`no code for ${phone}`);
    return (await post(undefined, purpose === 'login' ? '/v1/auth/login' : '/v1/auth/register', { phone, code })).accessToken;
  };
  let citizen = '';
  let agent = '';
  const report = async (i: number) => (await post(citizen, '/v1/cases', { description: `路灯不亮 ${i}`, location: { lat: 26.879, lng: 112.613 } })).case.id;
  const file = async (id: string) => caseNumberLabel((await post(agent, `/v1/cases/${id}/file`, { categoryCode: 'E0503' })).case.caseNumber!);

  /**
   * Waits until the outbox holds a topic message for every one of `caseIds` (action `action`) and, for
   * filings, the SMS; returns the lags. Gives up after `timeoutMs` (the missing ones are reported).
   */
  const collect = async (since: string, caseIds: string[], action: 'report' | 'file', timeoutMs = 240_000) => {
    const wanted = new Set(caseIds);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const messages = await messagesSince(since);
      const events = messages
        .filter((m) => m.channel === 'topic' && m.destination === 'case-events')
        .map((m) => ({ m, e: JSON.parse(m.body) as { caseId: string; action: string; at: string; caseNumber?: string } }))
        .filter(({ e }) => e.action === action && wanted.has(e.caseId));
      const texts = messages.filter((m) => m.channel === 'sms' && m.body.includes('已受理立案'));
      const eventLags = events.map(({ m, e }) => Date.parse(m.createdAt) - Date.parse(e.at));
      const textLags: number[] = [];
      if (action === 'file') {
        for (const { e } of events) {
          const label = e.caseNumber ? caseNumberLabel(e.caseNumber) : undefined;
          const text = label ? texts.find((t) => t.body.includes(label)) : undefined;
          if (text) textLags.push(Date.parse(text.createdAt) - Date.parse(e.at));
        }
      }
      const complete = events.length >= wanted.size && (action === 'report' || textLags.length >= wanted.size);
      if (complete || Date.now() > deadline) {
        if (!complete) notes.push(`${action}: ${wanted.size - events.length} event(s), ${action === 'file' ? wanted.size - textLags.length : 0} text(s) missing after ${timeoutMs / 1000} s`);
        return { eventLags, textLags };
      }
      await sleep(250);
    }
  };

  try {
    const first = await startPlatformProcess(env, 180_000);
    platform = first.child;
    citizen = await login(CITIZEN, 'register');
    agent = await login(AGENT, 'login');

    // 1. At rest: one action at a time, a pause between them (no backlog).
    {
      const since = new Date().toISOString();
      const ids: string[] = [];
      for (let i = 0; i < options.atRest; i++) {
        ids.push(await report(i));
        await sleep(300);
      }
      for (const id of ids) {
        await file(id);
        await sleep(300);
      }
      const reports = await collect(since, ids, 'report');
      const filings = await collect(since, ids, 'file');
      rows.push(row('at rest: case-events message', [...reports.eventLags, ...filings.eventLags]), row('at rest: filing SMS', filings.textLags));
    }

    // 2. A burst of reports, 20 at a time, then filings made right after it, one at a time.
    {
      const since = new Date().toISOString();
      const ids: string[] = [];
      const queue = Array.from({ length: options.burst }, (_, i) => i);
      await Promise.all(Array.from({ length: 20 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) ids.push(await report(1000 + i));
      }));
      const after = ids.slice(0, options.atRest);
      for (const id of after) await file(id);
      const burst = await collect(since, ids, 'report');
      const filings = await collect(since, after, 'file');
      rows.push(
        row(`burst: its ${options.burst} reports' messages`, burst.eventLags),
        row(`after the burst: ${after.length} filings' messages`, filings.eventLags),
        row(`after the burst: ${after.length} filings' SMS`, filings.textLags),
      );
    }

    // 3. kill -9 with a backlog of filings being processed, restart on the same folder, file again.
    {
      const ids: string[] = [];
      for (let i = 0; i < options.atRest * 3; i++) ids.push(await report(2000 + i));
      await collect(new Date(Date.now() - 600_000).toISOString(), ids, 'report');
      const backlog = ids.slice(0, options.atRest * 2);
      const since = new Date().toISOString();
      const labels: string[] = [];
      await Promise.all(backlog.map(async (id) => labels.push(await file(id))));
      // Kill once the processor is in the middle of the backlog (some texts out, most not).
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(50)) {
        const texts = (await messagesSince(since)).filter((m) => m.channel === 'sms' && labels.some((l) => m.body.includes(l)));
        if (texts.length >= 2) break;
      }
      await killProcessGroup(platform);
      platform = undefined;
      const restarted = await startPlatformProcess(env, 180_000);
      platform = restarted.child;
      const up = Date.now();
      const fresh = ids.slice(options.atRest * 2);
      for (const id of fresh) await file(id);
      const filings = await collect(new Date(up - 1000).toISOString(), fresh, 'file');
      const pending = await collect(since, backlog, 'file');
      const texts = (await messagesSince(since)).filter((m) => m.channel === 'sms' && labels.some((l) => m.body.includes(l)));
      const perLabel = labels.map((l) => texts.filter((t) => t.body.includes(l)).length);
      const lastBacklog = Math.max(...texts.map((t) => Date.parse(t.createdAt)));
      rows.push(row(`after kill -9 + restart: ${fresh.length} filings' messages`, filings.eventLags), row(`after kill -9 + restart: ${fresh.length} filings' SMS`, filings.textLags));
      notes.push(
        `restart: the platform answered ${(restarted.startedMs / 1000).toFixed(1)} s after its start; the ${backlog.length} filings acknowledged before the kill were all texted ` +
          `${((lastBacklog - up) / 1000).toFixed(1)} s after it answered (${perLabel.filter((n) => n === 1).length} once, ${perLabel.filter((n) => n > 1).length} twice or more, ${perLabel.filter((n) => n === 0).length} never; ${pending.textLags.length} texted)`,
      );
    }
  } finally {
    if (platform) await killProcessGroup(platform);
    client.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { rows, notes };
}

/** Prints the lag rows as a fixed-width table (seconds). */
export function printLagTable(title: string, rows: LagRow[]): void {
  console.log(`\n${title}`);
  const header = ['case', 'n', 'p50 s', 'p95 s', 'max s'];
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const lines = rows.map((r) => [r.name, String(r.count), s(r.p50Ms), s(r.p95Ms), s(r.maxMs)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const l of lines) console.log(line(l));
}
