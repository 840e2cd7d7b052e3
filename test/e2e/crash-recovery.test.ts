import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '#infra/local/ports';
import { killProcessGroup, startPlatformProcess } from '#infra/local/platform-process';
import { caseNumberLabel } from '#shared/domain/cases/views';
import { loginAs } from '../support/auth.ts';

/**
 * The crash guarantee of the local platform: a filing acknowledged with 200 gets its 已受理立案 SMS
 * exactly once, even when the whole platform (node, DynamoDB Local's java, s3rver) dies with `kill -9`
 * before the event processor got to it. The platform runs as `npm start` does, in a process group of
 * its own, so one signal kills all of it at once.
 */
describe('crash recovery (kill -9 of the local platform)', () => {
  it('texts every acknowledged filing exactly once after a restart', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'citygrid-crash-'));
    const env = {
      ...process.env,
      CITYGRID_DATA_DIR: dataDir,
      CITYGRID_SKIP_WEB_BUILD: '1',
      PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
      S3_PORT: String(await freePort()),
      REPORT_QUOTA_HOURLY: '1000',
      REPORT_QUOTA_DAILY: '1000',
    };
    const base = `http://127.0.0.1:${env.PORT}`;
    let platform: ChildProcess | undefined;
    try {
      platform = (await startPlatformProcess(env, 120_000)).child;
      const citizen = await loginAs(base, '13912345678', 'register');
      const agent = await loginAs(base, '13800000002');
      const call = async (token: string, path: string, body: unknown) => {
        const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: response.status, json: (await response.json()) as { case: { id: string; caseNumber?: string } } };
      };
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        const reported = await call(citizen.accessToken, '/v1/cases', { description: `井盖缺失 ${i}`, location: { lat: 26.879, lng: 112.613 } });
        expect(reported.status).toBe(201);
        ids.push(reported.json.case.id);
      }
      const file = async (id: string) => {
        const filed = await call(agent.accessToken, `/v1/cases/${id}/file`, { categoryCode: 'E0503' });
        expect(filed.status).toBe(200);
        return caseNumberLabel(filed.json.case.caseNumber!);
      };
      // The first half is filed and texted before the crash: their positions are saved.
      const labels: string[] = [];
      for (const id of ids.slice(0, 4)) labels.push(await file(id));
      await expect.poll(async () => countFilingTexts(base, labels), { timeout: 60_000, interval: 500 }).toEqual(labels.map(() => 1));
      // The second half is acknowledged while the processor waits (SIGUSR2), then everything dies at once.
      process.kill(platform.pid!, 'SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const id of ids.slice(4)) labels.push(await file(id));
      expect(await countFilingTexts(base, labels.slice(4))).toEqual([0, 0, 0, 0]);
      await killProcessGroup(platform);
      platform = undefined;

      platform = (await startPlatformProcess(env, 120_000)).child;
      await expect.poll(async () => countFilingTexts(base, labels), { timeout: 90_000, interval: 1000 }).toEqual(labels.map(() => 1));
      // …and nothing comes twice later (the first half must not be replayed into second texts).
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(await countFilingTexts(base, labels)).toEqual(labels.map(() => 1));
    } finally {
      if (platform) await killProcessGroup(platform);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** How many 已受理立案 texts the outbox holds for each case number label. */
async function countFilingTexts(base: string, labels: string[]): Promise<number[]> {
  const bodies: string[] = [];
  let cursor: string | undefined;
  do {
    const page = (await (await fetch(`${base}/dev/outbox?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json()) as { items: Array<{ channel: string; body: string }>; nextCursor?: string };
    bodies.push(...page.items.filter((m) => m.channel === 'sms' && m.body.includes('已受理立案')).map((m) => m.body));
    cursor = page.nextCursor;
  } while (cursor);
  return labels.map((label) => bodies.filter((body) => body.includes(label)).length);
}
