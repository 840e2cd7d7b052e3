import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '#infra/local/ports';
import { createOutbox } from '#shared/adapters/outbox';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';
import { createEffectLedger } from '#shared/data/effect-ledger';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

/**
 * A restart after `kill -9`: the killed process had claimed an effect (its lease still runs for 40 s)
 * and even sent it, but never marked it done. The restarted platform is its table's only event
 * processor, so it takes the lease over on its first delivery (no waiting out the lease, no failed
 * delivery) and — the message being in the outbox already — sends nothing twice.
 * Its own file: both starts share this file's handler modules, as two runs of `npm start` would.
 */
describe('effects left by a killed process', () => {
  it('are finished on the first delivery after the restart, once', { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'citygrid-restart-'));
    const options = { dataDir, tableName: `e2e-${randomUUID()}`, s3Port: await freePort() };
    let platform = await startTestPlatform(options);
    const db = { client: createDocumentClient({ region: 'us-east-1', endpoint: platform.dynamoEndpoint }), name: options.tableName } as Table;
    try {
      const supervisor = await loginAs(platform.url, '13800000003');
      // The event waits in the stream (as when the processor is behind), then the process "dies".
      platform.events.pause();
      const reported = await platform.api('/v1/cases', {
        method: 'POST',
        headers: { authorization: `Bearer ${supervisor.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ description: '井盖缺失', location: { lat: 26.879, lng: 112.613 } }),
      });
      expect(reported.status).toBe(201);
      const caseId: string = reported.json.case.id;
      const key = `${caseId}.1#publish`;
      // What the killed process left: the publish effect claimed (lease live) and its message sent.
      const killed = createEffectLedger(db, undefined, { owner: 'a-process-killed-with-9' });
      expect(await killed.claim(key)).toBe('claimed');
      await createOutbox(db).record({ channel: 'topic', destination: 'case-events', body: JSON.stringify({ id: `${caseId}.1`, caseId, by: 'the killed process' }) }, { effectKey: key });
      await platform.stop();

      platform = await startTestPlatform(options);
      await platform.settle();
      // Handed over once and done: no delivery waited for the lease and failed.
      expect(platform.events.failures()).toBe(0);
      expect(await killed.claim(key)).toBe('done');
      const { items } = await createOutbox(db).list({ limit: 100 });
      const published = items.filter((m) => m.channel === 'topic' && (JSON.parse(m.body) as { caseId?: string }).caseId === caseId);
      expect(published.map((m) => (JSON.parse(m.body) as { by?: string }).by)).toEqual(['the killed process']);
    } finally {
      await platform.stop();
      db.client.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
