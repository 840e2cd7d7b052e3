import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { ensureTable } from '#infra/local/dynamodb';
import { cleanImage, readEvidence } from '#shared/adapters/images';
import { createDocumentClient } from '#shared/data/client';
import { photoHashModel } from '#shared/data/entities/photo-hash';
import { putMany } from '#shared/data/operations';
import { createPhotoHashStore } from '#shared/data/photo-hash-store';
import { hashBlocks } from '#shared/domain/photos/evidence';
import { loadInProcess, type Measurement } from './lib.ts';

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
const chunk = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

/**
 * Near-duplicate lookups (7 Queries: one per hash block) against `size` stored photos, whose index
 * items are written straight into a fresh table (BatchWrite, 7 items per photo). Stored hashes are
 * uniformly random: real photos' hashes are less even, so real buckets are fuller (docs/performance.md).
 */
export async function benchPhotoHashes(endpoint: string, sizes: number[], seconds: number) {
  const rows: Measurement[] = [];
  const found: Array<{ size: number; queries: number; candidates: number; matches: number; seedSeconds: number }> = [];
  for (const size of sizes) {
    const started = performance.now();
    const tableName = `bench-phash-${size}-${randomUUID().slice(0, 8)}`;
    await ensureTable(endpoint, tableName);
    const db = { client: createDocumentClient({ region: 'us-east-1', endpoint }), name: tableName };
    const next = random(7);
    const hex = () => Array.from({ length: 16 }, () => Math.floor(next() * 16).toString(16)).join('');
    const photos = Array.from({ length: size }, (_, i) => ({ photoKey: `uploads/after/${String(i).padStart(8, '0')}-0000-4000-8000-000000000000.jpg`, phash: hex() }));
    const items = photos.flatMap((p) => hashBlocks(p.phash).map(({ block, value }) => ({ block, value, photoKey: p.photoKey, phash: p.phash, createdAt: '2026-05-12T00:00:00.000Z' })));
    for (const part of chunk(items, 5000)) await Promise.all(chunk(part, 625).map((c) => putMany(db, photoHashModel, c)));
    const seedSeconds = (performance.now() - started) / 1000;
    const store = createPhotoHashStore(db);
    // Probes: half a stored photo's hash with 3 bits flipped (a match), half a fresh random hash (none).
    const probes = Array.from({ length: 64 }, (_, i) => (i % 2 ? hex() : (BigInt(`0x${photos[i * 7 % size]!.phash}`) ^ 0b1001001n).toString(16).padStart(16, '0')));
    let candidates = 0;
    let matches = 0;
    for (const probe of probes) {
      const result = await store.findSimilar(probe);
      candidates += result.candidates;
      matches += result.matches.length;
    }
    found.push({ size, queries: 7, candidates: candidates / probes.length, matches: matches / probes.length, seedSeconds });
    let i = 0;
    rows.push(await loadInProcess(`near-duplicate lookup, ${size.toLocaleString('en')} stored photos`, () => store.findSimilar(probes[i++ % probes.length]!), seconds));
    console.error(`[photo hashes] ${size} photos: seeded in ${seedSeconds.toFixed(0)} s, ${JSON.stringify(found.at(-1))}, p50 ${rows.at(-1)!.p50Ms.toFixed(2)} ms`);
  }
  return { rows, found };
}

/**
 * What hashing adds to the upload processor's image work per photo: the cleaning alone (decode,
 * re-encode without metadata, thumbnail) against the cleaning with the evidence read beside it (EXIF +
 * dHash), as the processor runs them, on a 12-megapixel JPEG.
 */
export async function benchHashing(seconds: number) {
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="3000"><rect width="4000" height="3000" fill="#6a8"/><circle cx="1500" cy="1200" r="700" fill="#333"/><rect x="2400" y="600" width="1200" height="1800" fill="#eee"/></svg>');
  const photo = await sharp(svg).jpeg({ quality: 88 }).withExif({ IFD2: { DateTimeOriginal: '2026:05:12 11:44:00' } }).toBuffer();
  const clean = await loadInProcess('clean only (12 MP JPEG)', () => cleanImage(photo, 'image/jpeg'), seconds);
  const both = await loadInProcess('clean + evidence (EXIF, dHash), in parallel', () => Promise.all([cleanImage(photo, 'image/jpeg'), readEvidence(photo)]), seconds);
  const evidence = await loadInProcess('evidence alone (EXIF, dHash)', () => readEvidence(photo), seconds);
  return { rows: [clean, both, evidence], added: both.p50Ms / clean.p50Ms - 1 };
}
