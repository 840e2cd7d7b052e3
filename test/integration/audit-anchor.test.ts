import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestAnchor } from '#infra/cli/anchors';
import { verifyAudit } from '#infra/cli/commands';
import { freePort } from '#infra/local/ports';
import { startS3, type LocalS3 } from '#infra/local/s3';
import { anchorWriter } from '#shared/adapters/anchor-bucket';
import { auditKeyOf } from '#shared/adapters/audit-key';
import { readAuditHead } from '#shared/data/audit-head';
import { createAuditLog, type TableAuditLog } from '#shared/data/audit-store';
import { anchorAuditHead, type AnchorDeps } from '#shared/domain/audit/anchor';
import { sealEntry, type AuditEntry } from '#shared/domain/audit/chain';
import { AUDIT_CHAIN, auditEntryModel, auditHeadModel } from '#shared/data/entities/audit';
import { primaryKey } from '#shared/data/model';
import type { Table } from '#shared/data/db';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTestTable } from '../support/table.ts';

// s3rver stands in for the anchor bucket: it stores and lists objects like S3 but does not emulate Object
// Lock (no retention, a PUT replaces the object) — the lock itself is checked on the synthesized stack.
const BUCKET = 'citygrid-audit-anchors';
const key = auditKeyOf('a-test-audit-secret-of-at-least-32-characters');
const actor = { actorId: 'anchor-test', actorName: '锚定 测试' };
let table: Awaited<ReturnType<typeof createTestTable>>;
let s3: LocalS3;
let dir: string;
let client: S3Client;
let log: TableAuditLog;

beforeAll(async () => {
  table = await createTestTable();
  dir = mkdtempSync(join(tmpdir(), 'anchors-'));
  s3 = await startS3({ port: await freePort(), directory: dir, bucket: BUCKET });
  client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  log = createAuditLog(table.db, async () => key);
});
afterAll(async () => {
  client?.destroy();
  await s3?.stop();
  await table?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const depsAt = (at: string, db = table.db): AnchorDeps => ({ head: () => readAuditHead(db), put: anchorWriter(client, BUCKET), now: () => new Date(at) });

describe('the hourly anchor of the audit record', () => {
  it('writes the head as { seq, hash, at } to anchors/YYYY/MM/DD/HH.json; an empty chain anchors seq 0', async () => {
    const empty = await anchorAuditHead(depsAt('2026-12-07T22:00:01.000Z'));
    expect(empty).toEqual({ key: 'anchors/2026/12/07/22.json', anchor: { seq: 0, hash: '0'.repeat(64), at: '2026-12-07T22:00:01.000Z' } });

    for (const target of ['A0101', 'A0102', 'A0103']) await log.append({ ...actor, kind: 'category.put', target, after: { code: target } });
    const head = (await log.head())!;
    const { key: objectKey, anchor } = await anchorAuditHead(depsAt('2026-12-07T23:00:02.000Z'));
    expect(objectKey).toBe('anchors/2026/12/07/23.json');
    const stored = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: objectKey }));
    expect(JSON.parse(await stored.Body!.transformToString())).toEqual({ seq: 3, hash: head.hash, at: '2026-12-07T23:00:02.000Z' });
    expect(anchor.seq).toBe(3);
    // The latest anchor is the greatest key (the 23:00 one, not the 22:00 one).
    expect(await latestAnchor(client, BUCKET)).toEqual({ name: `s3://${BUCKET}/anchors/2026/12/07/23.json`, anchor: { seq: 3, hash: head.hash, at: '2026-12-07T23:00:02.000Z' } });
  });

  it('audit verify --anchor: the chain as anchored passes; a chain rebuilt with the key, or cut short, is named against the anchor', async () => {
    const latest = (await latestAnchor(client, BUCKET))!;
    const lines: string[] = [];
    expect(await verifyAudit(log, (l) => lines.push(l), latest)).toBe(true);
    expect(lines.at(-1)).toBe(`The chain matches anchor ${latest.name} (seq 3, anchored 2026-12-07T23:00:02.000Z).`);

    // Someone with the table AND the audit secret rewrites history: the same entries, one changed, chained
    // again with the key. Every digest and HMAC verifies — only the anchor shows it.
    const forged = await createTestTable();
    try {
      const rebuilt = createAuditLog(forged.db, async () => key);
      for (const target of ['A0101', 'A0102-forged', 'A0103']) await rebuilt.append({ ...actor, kind: 'category.put', target, after: { code: target } });
      const out: string[] = [];
      expect(await verifyAudit(rebuilt, (l) => out.push(l), latest)).toBe(false);
      expect(out[0]).toMatch(/^Verified 3 entries: the chain is unbroken/);
      expect(out[1]).toBe(`Anchor ${latest.name} does not match: entry 3's hash is ${(await rebuilt.head())!.hash}, the anchor holds ${latest.anchor.hash}: the chain was rewritten up to it after it was anchored.`);
      expect(out.at(-1)).toBe('  An entry from 1 to 3 was changed, removed or added after 2026-12-07T23:00:02.000Z; nothing from entry 1 on can be trusted.');
      // Cut short: only two entries left (rebuilt with the key, so the chain itself verifies).
      const shorter = await createTestTable();
      try {
        const cut = createAuditLog(shorter.db, async () => key);
        for (const target of ['A0101', 'A0102']) await cut.append({ ...actor, kind: 'category.put', target, after: { code: target } });
        const cutLines: string[] = [];
        expect(await verifyAudit(cut, (l) => cutLines.push(l), latest)).toBe(false);
        expect(cutLines[1]).toMatch(/^Anchor .* does not match: the chain has no entry 3 \(it ends at 2\)/);
      } finally {
        await shorter.drop();
      }
    } finally {
      await forged.drop();
    }
  });

  it('a stored entry at or before an anchored seq, changed and the chain rebuilt consistently with the key: verify names where, between two anchors', async () => {
    const own = await createTestTable();
    try {
      const chain = createAuditLog(own.db, async () => key);
      const anchorAt = (at: string) => anchorAuditHead({ head: () => readAuditHead(own.db), put: async () => {}, now: () => new Date(at) });
      for (const target of ['B01', 'B02']) await chain.append({ ...actor, kind: 'category.put', target, after: { code: target } });
      const early = { name: 'anchors/2026/12/08/00.json', anchor: (await anchorAt('2026-12-08T00:00:00.000Z')).anchor };
      for (const target of ['B03', 'B04']) await chain.append({ ...actor, kind: 'category.put', target, after: { code: target } });
      const late = { name: 'anchors/2026/12/08/01.json', anchor: (await anchorAt('2026-12-08T01:00:00.000Z')).anchor };
      expect([early.anchor.seq, late.anchor.seq]).toEqual([2, 4]);
      expect(await verifyAudit(chain, () => {}, [early, late])).toBe(true);

      // Entry 3 changed in the table; entries 3 and 4 and the head sealed again with the stolen key.
      const entries: AuditEntry[] = [];
      for await (const entry of chain.entries()) entries.push(entry);
      let prev = { seq: 2, hash: entries[1]!.hash };
      for (const entry of entries.slice(2)) {
        const input = { actorId: entry.actorId, actorName: entry.actorName, kind: entry.kind, target: entry.seq === 3 ? 'B03-forged' : entry.target, after: entry.after };
        const sealed = sealEntry(key, prev, input, new Date(entry.at));
        await own.db.client.send(new PutCommand({ TableName: own.db.name, Item: { ...(await rawItem(own.db, entry.seq)), target: sealed.target, digest: sealed.digest, prevHash: sealed.prevHash, hash: sealed.hash } }));
        prev = { seq: sealed.seq, hash: sealed.hash };
      }
      await own.db.client.send(new UpdateCommand({ TableName: own.db.name, Key: primaryKey(auditHeadModel, { chain: AUDIT_CHAIN }), UpdateExpression: 'SET #h = :h', ExpressionAttributeNames: { '#h': 'hash' }, ExpressionAttributeValues: { ':h': prev.hash } }));

      const lines: string[] = [];
      expect(await verifyAudit(chain, (l) => lines.push(l), [late, early])).toBe(false);
      expect(lines[0]).toMatch(/^Verified 4 entries: the chain is unbroken/);
      expect(lines[1]).toMatch(/^Anchor anchors\/2026\/12\/08\/01\.json does not match: entry 4's hash is [0-9a-f]{64}, the anchor holds [0-9a-f]{64}/);
      expect(lines.at(-1)).toBe('  An entry from 3 to 4 was changed, removed or added after 2026-12-08T01:00:00.000Z (entries 1–2 match anchor anchors/2026/12/08/00.json); nothing from entry 3 on can be trusted.');
    } finally {
      await own.drop();
    }
  });
});

/** The stored item of entry `seq`, as DynamoDB holds it (keys included). */
async function rawItem(db: Table, seq: number) {
  return (await db.client.send(new GetCommand({ TableName: db.name, Key: primaryKey(auditEntryModel, { chain: AUDIT_CHAIN, seq }) }))).Item!;
}
