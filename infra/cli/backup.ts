/**
 * `backup <dir>` / `restore <dir>`: every item of the table as JSON lines, and back into an empty table.
 *
 * The folder:
 * - `items.jsonl`: one item a line, `{"Item":{…}}` in DynamoDB's own JSON (`{"S":"…"}`, `{"N":"…"}`;
 *   binary as base64) — the line format of a DynamoDB export to S3 (`DYNAMODB_JSON`), so numbers keep
 *   every digit and the data files of such an export, unzipped, restore the same way;
 * - `photos.txt`: the photo object keys the items name (one a line, sorted), to copy with the bucket;
 * - `manifest.json`: what was backed up, from where, when, and how many items and photos.
 *
 * A backup is a parallel Scan (an operator tool: it reads the whole table once, in `segments` parallel
 * parts, each paginated); it is not a point in time — writes made during the Scan may or may not be in
 * it. Stop writes (or use point-in-time recovery, docs/operations.md) when that matters.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Table } from '#shared/data/db';
import type { Print } from './commands.ts';

export const BACKUP_FORMAT = 'citygrid-backup';
export const BACKUP_VERSION = 1;
export const ITEMS_FILE = 'items.jsonl';
export const PHOTOS_FILE = 'photos.txt';
export const MANIFEST_FILE = 'manifest.json';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  /** The table backed up and where it was (the CLI's target description). */
  table: string;
  source: string;
  startedAt: string;
  finishedAt: string;
  items: number;
  photos: number;
}

/** Why a backup folder cannot be restored, or the target refuses it: one clear message. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

type Item = Record<string, AttributeValue>;

/** DynamoDB JSON as text: binary values (B, BS) as base64, as DynamoDB's exports write them. */
export function itemToLine(item: Item): string {
  return JSON.stringify({ Item: item }, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value));
}

/** The reverse of {@link itemToLine}: base64 back to bytes wherever DynamoDB JSON says B or BS. */
export function lineToItem(line: string): Item {
  const parsed = JSON.parse(line) as { Item?: unknown };
  if (!parsed || typeof parsed !== 'object' || !parsed.Item || typeof parsed.Item !== 'object') throw new Error('not {"Item":{…}}');
  const revive = (value: any): any => {
    if (Array.isArray(value)) return value.map(revive);
    if (!value || typeof value !== 'object') return value;
    if (typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
    if (Array.isArray(value.BS)) return { BS: value.BS.map((b: string) => Buffer.from(b, 'base64')) };
    if (value.M) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, revive(v)])) };
    if (value.L) return { L: value.L.map(revive) };
    return value;
  };
  return Object.fromEntries(Object.entries(parsed.Item as Item).map(([k, v]) => [k, revive(v)]));
}

/** The photo object keys an item names: `photoKey`, and every `…PhotoKeys` / `photoKeys` list, at any depth. */
export function photoKeysOf(item: Item): string[] {
  const keys: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    for (const [name, inner] of Object.entries(value)) {
      if (name === 'photoKey' && typeof inner === 'string') keys.push(inner);
      else if (/^(?:[a-z]+P|p)hotoKeys$/.test(name) && Array.isArray(inner)) keys.push(...inner.filter((k): k is string => typeof k === 'string'));
      else walk(inner);
    }
  };
  walk(unmarshall(item, { wrapNumbers: true }));
  return keys;
}

/**
 * Writes the folder: 1. Scan the table in `segments` parallel parts, each page by page, every item a line
 * of `items.jsonl`; 2. `photos.txt`, the photo keys the items name; 3. `manifest.json` last (a folder
 * without it is an unfinished backup, and `restore` refuses it).
 */
export async function backupTable(db: Table, dir: string, options: { source: string; segments?: number }, print: Print): Promise<BackupManifest> {
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, MANIFEST_FILE)) || existsSync(join(dir, ITEMS_FILE))) throw new BackupError(`${dir} already holds a backup: give an empty or new folder`);
  const startedAt = new Date().toISOString();
  const out = createWriteStream(join(dir, ITEMS_FILE), { encoding: 'utf8' });
  const photos = new Set<string>();
  const segments = options.segments ?? 4;
  let items = 0;
  let printed = 0;
  const scanSegment = async (segment: number) => {
    let start: Item | undefined;
    do {
      const page = await db.client.send(new ScanCommand({ TableName: db.name, Segment: segment, TotalSegments: segments, ExclusiveStartKey: start, ConsistentRead: true }));
      for (const item of page.Items ?? []) {
        if (!out.write(`${itemToLine(item)}\n`)) await once(out, 'drain');
        for (const key of photoKeysOf(item)) photos.add(key);
        items++;
      }
      if (Math.floor(items / 10_000) > printed) print(`… ${(printed = Math.floor(items / 10_000)) * 10_000} items`);
      start = page.LastEvaluatedKey;
    } while (start);
  };
  try {
    await Promise.all(Array.from({ length: segments }, (_, segment) => scanSegment(segment)));
  } finally {
    out.end();
    await once(out, 'finish');
  }
  writeFileSync(join(dir, PHOTOS_FILE), [...photos].sort().map((k) => `${k}\n`).join(''));
  const manifest: BackupManifest = { format: BACKUP_FORMAT, version: BACKUP_VERSION, table: db.name, source: options.source, startedAt, finishedAt: new Date().toISOString(), items, photos: photos.size };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  print(`Backed up ${items} items (${photos.size} photo keys in ${PHOTOS_FILE}) to ${dir}.`);
  return manifest;
}

/** Reads and checks a backup folder's manifest. */
export function readManifest(dir: string): BackupManifest {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) {
    const hint = existsSync(dir) && readdirSync(dir).includes(ITEMS_FILE) ? ' (an unfinished backup: items.jsonl without its manifest)' : '';
    throw new BackupError(`${dir} is not a backup folder: no ${MANIFEST_FILE}${hint}`);
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== BACKUP_VERSION) throw new BackupError(`${file} is not a ${BACKUP_FORMAT} version ${BACKUP_VERSION} manifest`);
  return manifest;
}

/** Whether the table holds no item at all (a Scan that stops at the first one). */
export async function isEmpty(db: Table): Promise<boolean> {
  let start: Item | undefined;
  do {
    const page = await db.client.send(new ScanCommand({ TableName: db.name, Limit: 25, ExclusiveStartKey: start, ProjectionExpression: 'pk' }));
    if ((page.Items?.length ?? 0) > 0) return false;
    start = page.LastEvaluatedKey;
  } while (start);
  return true;
}

export interface RestoreOptions {
  /** Batches in flight at once (each BatchWriteItem holds up to 25 items). */
  concurrency?: number;
  /** Tries of a batch's unprocessed items before the restore stops (with backoff in between). */
  maxAttempts?: number;
  /** The wait before retry n (1, 2, …) in ms; default 50 ms doubling up to 5 s, with jitter. */
  backoffMs?: (attempt: number) => number;
}

/**
 * Loads a backup folder into an EMPTY table:
 * 1. check the manifest, and that the table holds no item (refused otherwise: a restore never merges);
 * 2. read `items.jsonl` line by line, 25 items a BatchWriteItem, a few batches in flight;
 * 3. write a batch's unprocessed items again (throttling, a busy partition) with growing waits, and stop
 *    with a clear message when they still fail after `maxAttempts`;
 * 4. check that as many items were written as the manifest counts.
 */
export async function restoreTable(db: Table, dir: string, print: Print, options: RestoreOptions = {}): Promise<{ items: number }> {
  const manifest = readManifest(dir);
  if (!(await isEmpty(db))) {
    throw new BackupError(`Table ${db.name} is not empty: a restore writes into an empty table only (it never merges into live data). Restore into a new table (locally: stop npm start and set CITYGRID_DATA_DIR to a new folder).`);
  }
  const concurrency = options.concurrency ?? 4;
  const maxAttempts = options.maxAttempts ?? 10;
  const backoff = options.backoffMs ?? ((n: number) => Math.min(50 * 2 ** (n - 1), 5000) * (0.5 + Math.random() / 2));
  let written = 0;
  let printed = 0;

  const writeBatch = async (batch: Item[]) => {
    let requests: WriteRequest[] = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; ; attempt++) {
      const result = await db.client.send(new BatchWriteItemCommand({ RequestItems: { [db.name]: requests } }));
      const left = result.UnprocessedItems?.[db.name] ?? [];
      written += requests.length - left.length;
      if (left.length === 0) return;
      if (attempt >= maxAttempts) throw new BackupError(`${left.length} items were still unprocessed after ${maxAttempts} tries (the table is throttled?); ${written} items are written. Empty the table and run the restore again.`);
      requests = left;
      await new Promise((done) => setTimeout(done, backoff(attempt)));
    }
  };

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const launch = (batch: Item[]) => {
    const run = writeBatch(batch).catch((error: unknown) => void (failure ??= error)).finally(() => inFlight.delete(run));
    inFlight.add(run);
  };
  const lines = createInterface({ input: createReadStream(join(dir, ITEMS_FILE), { encoding: 'utf8' }), crlfDelay: Infinity });
  let batch: Item[] = [];
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (!line.trim()) continue;
    try {
      batch.push(lineToItem(line));
    } catch (error) {
      throw new BackupError(`${ITEMS_FILE} line ${lineNumber} is not an item: ${(error as Error).message}`);
    }
    if (batch.length === 25) {
      launch(batch);
      batch = [];
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (failure) break;
      if (Math.floor(written / 10_000) > printed) print(`… ${(printed = Math.floor(written / 10_000)) * 10_000} items`);
    }
  }
  if (batch.length && !failure) launch(batch);
  await Promise.all(inFlight);
  if (failure) throw failure;
  if (written !== manifest.items) throw new BackupError(`Wrote ${written} items but the manifest counts ${manifest.items}: ${ITEMS_FILE} is not the file that backup wrote`);
  print(`Restored ${written} items into ${db.name}. Photos: ${manifest.photos} keys in ${PHOTOS_FILE} — copy those objects into the photo bucket (docs/operations.md).`);
  return { items: written };
}
