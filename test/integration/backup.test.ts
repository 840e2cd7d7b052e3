import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BatchWriteItemCommand, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { BackupError, ITEMS_FILE, MANIFEST_FILE, PHOTOS_FILE, backupTable, itemToLine, lineToItem, restoreTable } from '#infra/cli/backup';
import { importCity } from '#infra/cli/commands';
import { run } from '#infra/cli/main';
import { DEMO_CITY_DIR } from '#infra/local/seed';
import { createCaseStore } from '#shared/data/case-store';
import type { Table } from '#shared/data/db';
import { newReportedCase } from '#shared/domain/cases/model';
import { createTestTable } from '../support/table.ts';

const silent = () => {};
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'citygrid-backup-'));
  dirs.push(dir);
  return dir;
};
type Item = Record<string, AttributeValue>;
/** Every item of a table, raw, in key order. */
const everything = async (db: Table) => {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await db.client.send(new ScanCommand({ TableName: db.name, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const key = (i: Item) => `${i.pk?.S}\u0000${i.sk?.S}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
};

let source: Awaited<ReturnType<typeof createTestTable>>;
let backupDir: string;
const tables: Array<Awaited<ReturnType<typeof createTestTable>>> = [];
const emptyTable = async () => {
  const t = await createTestTable();
  tables.push(t);
  return t;
};

beforeAll(async () => {
  source = await createTestTable();
  tables.push(source);
  // A city, a case with photos, and an item with every attribute type DynamoDB has (digits beyond a double's, bytes, sets, nesting).
  await importCity(source.db, DEMO_CITY_DIR, { dryRun: false }, silent);
  const at = new Date('2026-11-02T02:00:00Z');
  const { case: c, event } = newReportedCase(
    { id: randomUUID(), channel: 'app', description: '井盖缺失', location: { lat: 26.879, lng: 112.613 }, beforePhotoKeys: ['photos/a/before-1.jpg', 'photos/a/before-2.jpg'], reporterId: 'citizen-1' },
    at,
    { id: 'citizen-1', role: 'citizen', displayName: '市民' },
  );
  await createCaseStore(source.db).createCase({ case: { ...c, afterPhotoKeys: ['photos/a/after-1.jpg'] }, event, counters: [] });
  await source.client.send(
    new PutItemCommand({
      TableName: source.tableName,
      Item: {
        pk: { S: 'TEST#types' },
        sk: { S: 'all' },
        big: { N: '12345678901234567890.123456789' },
        bytes: { B: new Uint8Array([0, 1, 2, 254, 255]) },
        byteSet: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
        strings: { SS: ['甲', 'b'] },
        numbers: { NS: ['1', '2.5'] },
        nothing: { NULL: true },
        flag: { BOOL: false },
        nested: { M: { list: { L: [{ S: 'x' }, { N: '7' }, { M: { photoKey: { S: 'photos/b/field-check.jpg' } } }] } } },
      },
    }),
  );
  backupDir = tempDir();
  await backupTable(source.db, backupDir, { source: 'test', segments: 3 }, silent);
});
afterAll(async () => {
  for (const t of tables) await t.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore (npm run city -- backup/restore) on DynamoDB Local', () => {
  it('writes every item as a line of DynamoDB JSON, the photo keys and a manifest', async () => {
    const items = await everything(source.db);
    const lines = readFileSync(join(backupDir, ITEMS_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(items.length);
    expect(lines.every((l) => /^\{"Item":\{/.test(l))).toBe(true);
    expect(readFileSync(join(backupDir, PHOTOS_FILE), 'utf8').trim().split('\n')).toEqual(['photos/a/after-1.jpg', 'photos/a/before-1.jpg', 'photos/a/before-2.jpg', 'photos/b/field-check.jpg']);
    const manifest = JSON.parse(readFileSync(join(backupDir, MANIFEST_FILE), 'utf8'));
    expect(manifest).toMatchObject({ format: 'citygrid-backup', version: 1, table: source.tableName, source: 'test', items: items.length, photos: 4 });
    // Bytes as base64, as DynamoDB's own exports write them.
    expect(lines.find((l) => l.includes('TEST#types'))).toContain('"bytes":{"B":"AAEC/v8="}');
  });

  it('restores into an empty table exactly: item by item the same as the source', async () => {
    const target = await emptyTable();
    const lines: string[] = [];
    const done = await restoreTable(target.db, backupDir, (l) => lines.push(l));
    const [expected, actual] = await Promise.all([everything(source.db), everything(target.db)]);
    expect(done.items).toBe(expected.length);
    expect(actual).toHaveLength(expected.length);
    actual.forEach((item, i) => expect(item, `item ${i}`).toEqual(expected[i]));
    expect(lines.at(-1)).toMatch(new RegExp(`Restored ${expected.length} items into .*4 keys in photos\\.txt`));
  });

  it('writes unprocessed items again until they are in, and stops with a clear message when they never get in', async () => {
    const target = await emptyTable();
    // The real table behind a client that, like a throttled DynamoDB, leaves half of every first try unprocessed.
    let batches = 0;
    const halfFirst = {
      send: async (command: any) => {
        if (!(command instanceof BatchWriteItemCommand)) return target.client.send(command);
        const requests = command.input.RequestItems![target.tableName]!;
        if (batches++ % 2 === 1 || requests.length < 2) return target.client.send(command);
        const half = Math.ceil(requests.length / 2);
        await target.client.send(new BatchWriteItemCommand({ RequestItems: { [target.tableName]: requests.slice(0, half) } }));
        return { UnprocessedItems: { [target.tableName]: requests.slice(half) } };
      },
    };
    await restoreTable({ client: halfFirst as any, name: target.tableName }, backupDir, silent, { backoffMs: () => 1 });
    expect(await everything(target.db)).toEqual(await everything(source.db));

    const never = await emptyTable();
    const refusing = {
      send: async (command: any) => (command instanceof BatchWriteItemCommand ? { UnprocessedItems: command.input.RequestItems } : never.client.send(command)),
    };
    await expect(restoreTable({ client: refusing as any, name: never.tableName }, backupDir, silent, { backoffMs: () => 1, maxAttempts: 3 })).rejects.toThrow(/still unprocessed after 3 tries.*0 items are written/);
  });

  it('refuses a table that is not empty, a folder that is not a backup, and a folder that holds one already', async () => {
    const before = await everything(source.db);
    await expect(restoreTable(source.db, backupDir, silent)).rejects.toThrow(/is not empty: a restore writes into an empty table only/);
    expect(await everything(source.db)).toEqual(before);
    const target = await emptyTable();
    const unfinished = tempDir();
    writeFileSync(join(unfinished, ITEMS_FILE), '');
    await expect(restoreTable(target.db, unfinished, silent)).rejects.toThrow(/not a backup folder: no manifest\.json \(an unfinished backup/);
    await expect(backupTable(source.db, backupDir, { source: 'test' }, silent)).rejects.toBeInstanceOf(BackupError);
    const broken = tempDir();
    writeFileSync(join(broken, MANIFEST_FILE), readFileSync(join(backupDir, MANIFEST_FILE)));
    writeFileSync(join(broken, ITEMS_FILE), `${readFileSync(join(backupDir, ITEMS_FILE), 'utf8').split('\n')[0]}\n{"pk":"no Item"}\n`);
    await expect(restoreTable(target.db, broken, silent)).rejects.toThrow(/items\.jsonl line 2 is not an item/);
  });

  it('keeps every attribute type through a line and back', () => {
    const item: Item = { pk: { S: 'a' }, n: { N: '0.000000000000000000001' }, b: { B: new Uint8Array([9, 8]) }, m: { M: { l: { L: [{ BS: [new Uint8Array([7])] }] } } } };
    expect(lineToItem(itemToLine(item))).toEqual({ ...item, b: { B: Buffer.from([9, 8]) }, m: { M: { l: { L: [{ BS: [Buffer.from([7])] }] } } } });
  });

  it('runs from the command line against the local platform, and restores through it', async () => {
    const port = new URL(inject('dynamoEndpoint')).port;
    const previous = process.env.DYNAMODB_PORT;
    process.env.DYNAMODB_PORT = port;
    try {
      const dir = join(tempDir(), 'nightly');
      const lines: string[] = [];
      expect(await run(['backup', dir, '--table', source.tableName, '--segments', '2'], (l) => lines.push(l))).toBe(0);
      expect(lines.at(-1)).toMatch(/^Backed up \d+ items \(4 photo keys in photos\.txt\)/);
      const target = await emptyTable();
      expect(await run(['restore', dir, '--table', target.tableName], silent)).toBe(0);
      expect(await everything(target.db)).toEqual(await everything(source.db));
      await expect(run(['restore', dir, '--table', target.tableName], silent)).rejects.toThrow(/is not empty/);
      await expect(run(['backup', dir, '--segments', '0'], silent)).rejects.toThrow(/--segments takes a number from 1 to 64/);
      await expect(run(['restore'], silent)).rejects.toThrow(/restore takes one folder/);
      expect(existsSync(join(dir, MANIFEST_FILE))).toBe(true);
    } finally {
      if (previous === undefined) delete process.env.DYNAMODB_PORT;
      else process.env.DYNAMODB_PORT = previous;
    }
  });
});
