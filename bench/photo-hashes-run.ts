/**
 * `npm run bench:photos`: near-duplicate lookups at 1,000 / 10,000 / 100,000 stored photos on a fresh
 * DynamoDB Local (a free port; each size seeded for at most BENCH_SEED_LIMIT_SECONDS, 600), and what hashing adds to the upload processor. The same
 * measurement runs inside `npm run bench`.
 */
import './env.ts';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
import { startDynamoDbLocal } from '#infra/local/dynamodb';
import { freePort } from '#infra/local/ports';
import { printPhotoBench } from './photo-hashes-print.ts';

const sizes = (process.env.BENCH_PHOTO_SIZES ?? '1000,10000,100000').split(',').map(Number);
const seedLimitSeconds = Number(process.env.BENCH_SEED_LIMIT_SECONDS ?? 600);
const dynamo = await startDynamoDbLocal({ port: await freePort() });
try {
  await printPhotoBench(dynamo.endpoint, sizes, { seedLimitSeconds });
} finally {
  await dynamo.stop();
}
