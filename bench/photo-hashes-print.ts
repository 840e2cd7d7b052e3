import { loadavg } from 'node:os';
import { benchHashing, benchPhotoHashes } from './photo-hashes.ts';

const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');

/** Runs both photo benches and prints their tables (with the load average beside the figures). */
export async function printPhotoBench(endpoint: string, sizes: number[], options: { seedLimitSeconds?: number; hashingRuns?: number } = {}) {
  console.log(`\nNear-duplicate photo lookup (in-process over DynamoDB Local: 7 block Queries in parallel, full-distance check); load average at start ${load()}`);
  const rows = await benchPhotoHashes(endpoint, sizes, { seedLimitSeconds: options.seedLimitSeconds });
  console.log('\n| stored photos | Queries per lookup | index items read per lookup (candidates) | matches per lookup | p50 | p95 | lookups timed | seeding |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const partial = r.seeded < r.size ? ` (only ${r.seeded.toLocaleString('en')} seeded)` : '';
    console.log(`| ${r.size.toLocaleString('en')}${partial} | ${r.queries} | ${r.candidates.toFixed(1)} | ${r.matches.toFixed(2)} | ${r.p50Ms.toFixed(1)} ms | ${r.p95Ms.toFixed(1)} ms | ${r.lookups} | ${r.seedSeconds.toFixed(0)} s (${r.itemsPerSecond.toFixed(0)} items/s) |`);
  }
  const p50 = (size: number) => rows.find((r) => r.size === size && r.seeded === size)?.p50Ms;
  if (p50(1000) && p50(10000)) console.log(`\nMedian latency ratio 10,000 / 1,000 photos: ${(p50(10000)! / p50(1000)!).toFixed(2)} (goal ≤ 1.5)`);
  if (p50(1000) && p50(100000)) console.log(`Median latency ratio 100,000 / 1,000 photos: ${(p50(100000)! / p50(1000)!).toFixed(2)}`);
  console.log(`Load average after the lookups: ${load()}`);

  const hashing = await benchHashing(options.hashingRuns ?? 9);
  console.log(`\nUpload processor image work per photo (sharp, in-process): ${hashing.photo.width}×${hashing.photo.height} JPEG q85, ${(hashing.photo.bytes / 1e6).toFixed(1)} MB; load average ${load()}`);
  console.log('\n| step | runs | p50 | p95 |');
  console.log('|---|---:|---:|---:|');
  for (const r of hashing.rows) console.log(`| ${r.name} | ${r.count} | ${r.p50Ms.toFixed(0)} ms | ${r.p95Ms.toFixed(0)} ms |`);
  console.log(`\nHashing adds ${(hashing.added * 100).toFixed(1)} % to the median (goal ≤ 20 %); the evidence's own work is ${(hashing.evidenceShare * 100).toFixed(1)} % of the cleaning's`);
}
