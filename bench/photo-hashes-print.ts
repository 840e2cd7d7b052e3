import { printTable } from './lib.ts';
import { benchHashing, benchPhotoHashes } from './photo-hashes.ts';

/** Runs both photo benches and prints their tables. */
export async function printPhotoBench(endpoint: string, sizes: number[], seconds: number) {
  const lookups = await benchPhotoHashes(endpoint, sizes, seconds);
  printTable('Near-duplicate photo lookup (in-process over DynamoDB Local: 7 block Queries in parallel, full-distance check)', lookups.rows);
  console.log('\n| stored photos | Queries per lookup | index items read per lookup (candidates) | matches per lookup | seeding |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const f of lookups.found) console.log(`| ${f.size.toLocaleString('en')} | ${f.queries} | ${f.candidates.toFixed(1)} | ${f.matches.toFixed(2)} | ${f.seedSeconds.toFixed(0)} s |`);
  const p50 = (size: number) => lookups.rows[lookups.found.findIndex((f) => f.size === size)]?.p50Ms;
  if (p50(1000) && p50(10000)) console.log(`\nMedian latency ratio 10,000 / 1,000 photos: ${(p50(10000)! / p50(1000)!).toFixed(2)} (goal ≤ 1.5)`);
  const hashing = await benchHashing(seconds);
  printTable('Upload processor image work per photo (sharp, in-process)', hashing.rows);
  console.log(`\nHashing adds ${(hashing.added * 100).toFixed(1)} % to the median (goal ≤ 20 %)`);
}
