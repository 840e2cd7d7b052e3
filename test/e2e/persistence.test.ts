import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '#infra/local/ports';
import { startPlatform } from '#infra/local/platform';
import { createOutbox } from '#shared/adapters/outbox';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';
import { createCaseStore } from '#shared/data/case-store';
import { newReportedCase } from '#shared/domain/cases/model';
import { randomUUID } from 'node:crypto';

// Its own file: the handlers keep the configuration of the first start (as a warm Lambda would), so both
// starts here use the same ports and table, exactly like two runs of `npm start`.
describe('npm start persistence', () => {
  // Two starts of DynamoDB Local's JVM: seconds on an idle machine, far more on a busy one.
  it('finds the data of the previous start in the data folder, and leaves no java behind', { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'citygrid-persist-'));
    try {
      const options = { port: 0, dataDir, dynamoPort: await freePort(), s3Port: await freePort(), stepFunctionsPort: await freePort() };
      const first = await startPlatform(options);
      expect(first.createdTable).toBe(true);
      const db = { client: createDocumentClient({ region: 'us-east-1', endpoint: first.dynamoEndpoint }), name: first.tableName };
      await createOutbox(db).record({ channel: 'topic', destination: 'case-events', body: 'kept across restarts' });
      // A case waiting for its deadline (its timer lives in the process that stops now).
      const at = new Date();
      const { case: reported, event } = newReportedCase({ id: randomUUID(), channel: 'patrol', description: '沿街晾挂' }, at, { id: 's', role: 'supervisor', displayName: '监督员' });
      const waiting = { ...reported, status: 'dispatched' as const, firstDispatchedAt: at.toISOString(), dueAt: new Date(at.getTime() + 7 * 3600_000).toISOString(), timerSeq: 1 };
      await createCaseStore(db).createCase({ case: waiting, event, counters: [] });
      await first.stop();
      await expect(fetch(`${first.dynamoEndpoint}`)).rejects.toThrow(); // java is gone

      const second = await startPlatform(options);
      try {
        expect(second.createdTable).toBe(false);
        const listed = (await (await fetch(`${second.url}/dev/outbox`)).json()) as { items: Array<{ body: string }> };
        expect(listed.items.map((m) => m.body)).toContain('kept across restarts');
        // Its deadline timer runs again, planned from the case: waiting for the warning.
        const timer = second.stepFunctions.executions.get(`${waiting.id}-1`);
        expect(timer?.status).toBe('RUNNING');
        await expect.poll(() => timer!.states).toEqual(['Plan', 'Route', 'WaitForWarning']);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses clearly when a port is taken', async () => {
    const taken = await freePort();
    const { createServer } = await import('node:net');
    const blocker = createServer().listen(taken, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      await expect(startPlatform({ port: taken, dynamoPort: await freePort(), s3Port: await freePort() })).rejects.toThrow(
        `Port ${taken} (the API gateway) is already in use`,
      );
    } finally {
      blocker.close();
    }
  });
});
