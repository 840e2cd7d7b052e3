import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { cleanImage, readEvidence } from '#shared/adapters/images';
import { createDocumentClient } from '#shared/data/client';
import { photoHashModel } from '#shared/data/entities/photo-hash';
import { toStored } from '#shared/data/model';
import { createPhotoHashStore } from '#shared/data/photo-hash-store';
import { TABLE } from '#shared/data/table';
import { hashBlocks } from '#shared/domain/photos/evidence';

/** A fixed pseudo-random sequence (the same stored hashes in every run). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LookupRow {
  size: number;
  /** Photos whose index items were written (fewer than `size` when seeding ran out of time). */
  seeded: number;
  seedSeconds: number;
  itemsPerSecond: number;
  queries: number;
  candidates: number;
  matches: number;
  p50Ms: number;
  p95Ms: number;
  lookups: number;
}

/**
 * A bench table with the single table's key schema only (pk, sk): the lookup reads base-table items, so
 * no GSI and no stream (DynamoDB Local writes every GSI and stream record into its SQLite file too).
 */
async function benchTable(endpoint: string, tableName: string) {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
  client.destroy();
}

/**
 * Writes the index items of `photos` (7 per photo: only what the lookup reads) with BatchWriteItem, 25
 * items a call, `inFlight` calls at a time, until done or `limitSeconds` have passed. Returns the photos
 * whose seven items are all written.
 */
async function seed(db: { client: ReturnType<typeof createDocumentClient>; name: string }, photos: Array<{ photoKey: string; phash: string }>, inFlight: number, limitSeconds: number) {
  const deadline = performance.now() + limitSeconds * 1000;
  let next = 0;
  let seeded = 0;
  const PHOTOS_PER_CALL = 3; // 21 items (a call holds at most 25)
  const worker = async () => {
    for (;;) {
      if (performance.now() > deadline) return;
      const start = next;
      next += PHOTOS_PER_CALL;
      if (start >= photos.length) return;
      const batch = photos.slice(start, start + PHOTOS_PER_CALL);
      let pending: unknown[] | undefined = batch.flatMap((p) =>
        hashBlocks(p.phash).map(({ block, value }) => ({ PutRequest: { Item: toStored(photoHashModel, { block, value, photoKey: p.photoKey, phash: p.phash, createdAt: '2026-05-12T00:00:00.000Z' }) } })),
      );
      while (pending?.length) {
        const result: { UnprocessedItems?: Record<string, unknown[]> } = await db.client.send(new BatchWriteCommand({ RequestItems: { [db.name]: pending as never } }));
        pending = result.UnprocessedItems?.[db.name];
      }
      seeded += batch.length;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return seeded;
}

/**
 * Near-duplicate lookups (7 Queries: one per hash block) against `size` stored photos, whose index
 * items are written straight into a fresh key-only table. Stored hashes are uniformly random: real
 * photos' hashes are less even, so real buckets are fuller (docs/performance.md). Each size gets its
 * own table; a size whose seeding does not finish within `seedLimitSeconds` is measured on what was
 * seeded and says so. All sizes are seeded first, then timed in turns.
 */
export async function benchPhotoHashes(endpoint: string, sizes: number[], options: { lookups?: number; seedLimitSeconds?: number; inFlight?: number } = {}) {
  const lookups = options.lookups ?? 400;
  const stores: Array<Omit<LookupRow, 'p50Ms' | 'p95Ms' | 'lookups'> & { store: ReturnType<typeof createPhotoHashStore>; probes: string[]; close: () => void }> = [];
  for (const size of sizes) {
    const tableName = `bench-phash-${size}-${randomUUID().slice(0, 8)}`;
    await benchTable(endpoint, tableName);
    const db = { client: createDocumentClient({ region: 'us-east-1', endpoint }), name: tableName };
    const next = random(7);
    const hex = () => Array.from({ length: 16 }, () => Math.floor(next() * 16).toString(16)).join('');
    const photos = Array.from({ length: size }, (_, i) => ({ photoKey: `uploads/after/${String(i).padStart(8, '0')}-0000-4000-8000-000000000000.jpg`, phash: hex() }));
    const started = performance.now();
    const seeded = await seed(db, photos, options.inFlight ?? 8, options.seedLimitSeconds ?? 600);
    const seedSeconds = (performance.now() - started) / 1000;
    const stored = photos.slice(0, seeded);
    console.error(`[photo hashes] ${size}: seeded ${seeded} photos (${seeded * 7} items) in ${seedSeconds.toFixed(0)} s`);
    const store = createPhotoHashStore(db);
    // Probes: half a stored photo's hash with 3 bits flipped (a match), half a fresh random hash (none).
    const probes = Array.from({ length: 64 }, (_, i) => (i % 2 || stored.length === 0 ? hex() : (BigInt(`0x${stored[(i * 7919) % stored.length]!.phash}`) ^ 0b1001001n).toString(16).padStart(16, '0')));
    let candidates = 0;
    let matches = 0;
    let queries = 0;
    for (const probe of probes) {
      const result = await store.findSimilar(probe);
      candidates += result.candidates;
      matches += result.matches.length;
      queries = Math.max(queries, result.queries);
    }
    stores.push({ size, seeded, seedSeconds, itemsPerSecond: (seeded * 7) / seedSeconds, queries, candidates: candidates / probes.length, matches: matches / probes.length, store, probes, close: () => db.client.destroy() });
  }
  // Timed in rounds across the sizes (one lookup of each per round, in a shuffled order, after 50
  // warm-up rounds), so a neighbour's load on this shared machine — and the after-effects of the
  // largest lookup on the next one — fall on every size alike.
  const latencies = stores.map(() => [] as number[]);
  const order = random(13);
  for (let round = -50; round < lookups; round++) {
    const turn = stores.map((s, i) => ({ s, i, key: order() })).sort((a, b) => a.key - b.key);
    for (const { s, i } of turn) {
      const t = performance.now();
      await s.store.findSimilar(s.probes[(round + 50) % s.probes.length]!);
      if (round >= 0) latencies[i]!.push(performance.now() - t);
    }
  }
  return stores.map(({ store: _s, probes: _p, close, ...row }, i) => {
    close();
    const sorted = latencies[i]!.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const result: LookupRow = { ...row, p50Ms: at(0.5), p95Ms: at(0.95), lookups };
    console.error(`[photo hashes] ${row.size}: ${JSON.stringify(result)}`);
    return result;
  });
}

/**
 * A photo as a phone takes it: 4000×3000 (12 MP), a smooth scene with sensor-like noise (a flat
 * drawing would compress to nothing and decode unrealistically fast), JPEG quality 85, with EXIF time
 * and GPS.
 */
export async function realisticPhoto(width = 4000, height = 3000) {
  const next = random(11);
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const shade = 90 + 60 * Math.sin(x / 310) * Math.cos(y / 270) + (x > 1400 && x < 2600 && y > 900 && y < 2100 ? 50 : 0);
      const noise = () => (next() - 0.5) * 36;
      pixels[o] = Math.max(0, Math.min(255, shade + 20 + noise()));
      pixels[o + 1] = Math.max(0, Math.min(255, shade + 35 + noise()));
      pixels[o + 2] = Math.max(0, Math.min(255, shade - 10 + noise()));
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Make: 'Bench', Model: 'Phone' }, IFD2: { DateTimeOriginal: '2026:05:12 11:44:00', OffsetTimeOriginal: '+08:00' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '26/1 52/1 4440/100', GPSLongitudeRef: 'E', GPSLongitude: '112/1 36/1 4680/100' } })
    .toBuffer();
}

/**
 * What hashing adds to the upload processor's image work per photo: the cleaning alone (decode,
 * re-encode without metadata, thumbnail) against the cleaning with the evidence read beside it (EXIF +
 * dHash) as the processor runs them (in parallel), and each step alone. `count` timed rounds after
 * one warm-up round (a 12 MP decode takes a second or more: no long warm-up loops).
 */
export async function benchHashing(count: number) {
  const photo = await realisticPhoto();
  const meta = await sharp(photo).metadata();
  const steps: Array<[string, () => Promise<unknown>]> = [
    ['clean only (decode, re-encode without metadata, thumbnail)', () => cleanImage(photo, 'image/jpeg')],
    ['clean + evidence in parallel (as the processor runs them)', () => Promise.all([cleanImage(photo, 'image/jpeg'), readEvidence(photo)])],
    ['evidence alone (EXIF read + 9×8 dHash thumbnail)', () => readEvidence(photo)],
    ['  of which: EXIF block (metadata)', () => sharp(photo).metadata()],
    ['  of which: 9×8 greyscale for the dHash', () => sharp(photo, { failOn: 'error' }).rotate().greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer()],
  ];
  // Interleaved (one run of each step per round), so a neighbour's load falls on every step alike.
  const latencies = steps.map(() => [] as number[]);
  for (let round = -1; round < count; round++) {
    for (const [i, [, fn]] of steps.entries()) {
      const t = performance.now();
      await fn();
      if (round >= 0) latencies[i]!.push(performance.now() - t); // round -1 warms up
    }
  }
  const rows = steps.map(([name], i) => {
    const sorted = latencies[i]!.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { name, count, p50Ms: at(0.5), p95Ms: at(0.95) };
  });
  const clean = rows[0]!.p50Ms;
  return { photo: { width: meta.width, height: meta.height, bytes: photo.byteLength }, rows, added: rows[1]!.p50Ms / clean - 1, evidenceShare: rows[2]!.p50Ms / clean };
}
