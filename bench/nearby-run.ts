/**
 * `npm run bench:nearby`: nearby/similar at 1,000 vs 100,000 open cases on a fresh DynamoDB Local
 * (in memory, a free port). The same measurement runs inside `npm run bench`.
 */
import './env.ts';
// DynamoDB Local accepts any credentials; the SDK wants some (the platform sets the same for `npm run bench`).
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
import { startDynamoDbLocal } from '#infra/local/dynamodb';
import { freePort } from '#infra/local/ports';
import { printTable } from './lib.ts';
import { benchNearby } from './nearby.ts';

const sizes = (process.env.BENCH_NEARBY_SIZES ?? '1000,100000').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const dynamo = await startDynamoDbLocal({ port: await freePort() }); // in memory (no dbPath)
try {
  const result = await benchNearby(dynamo.endpoint, sizes, seconds);
  printTable('Nearness (in-process over DynamoDB Local: covering geohash ranges on gsi5, parallel Queries, exact distances)', result.rows);
  console.log(`\nCases found per search: ${result.found.map((f, i) => `${sizes[i]}: nearby ${f.nearby}, similar ${f.similar}`).join('; ')}`);
  console.log(`Cases read per search (Queries): ${result.found.map((f, i) => `${sizes[i]}: nearby ${f.read.nearby} (${f.queries.nearby}), similar ${f.read.similar} (${f.queries.similar})`).join('; ')}`);
  console.log(`Median latency ratio ${sizes.at(-1)} / ${sizes[0]} cases: nearby ${result.nearbyRatio.toFixed(2)}, similar ${result.similarRatio.toFixed(2)} (seeding took ${result.seedSeconds.map((s) => s.toFixed(0) + ' s').join(', ')})`);
} finally {
  await dynamo.stop();
}
