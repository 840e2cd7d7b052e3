/**
 * `npm run bench:admin`: the administration benches alone (staff import of 500 rows through the
 * gateway) on an in-memory local platform. The same measurements run inside `npm run bench`.
 */
import './env.ts';
import { freePort } from '#infra/local/ports';
import { startPlatform } from '#infra/local/platform';
import { printTable } from './lib.ts';
import { benchStaffImport } from './admin.ts';

const platform = await startPlatform({ port: 0, dynamoPort: await freePort(), s3Port: await freePort() });
try {
  platform.events.pause();
  const rows = await benchStaffImport(platform.url, Number(process.env.BENCH_STAFF_ROWS ?? 500));
  printTable('Staff import, POST /v1/admin/staff/batch through the gateway, DynamoDB Local (goal: 500 rows ≤ 10 s)', rows);
  for (const row of rows) console.log(`  ${row.name.padEnd(36)} ${row.roundTrips} DynamoDB requests`);
} finally {
  await platform.stop();
}
