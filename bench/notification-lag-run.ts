/**
 * `npm run bench:lag`: action → outbox lag (case-events messages and SMS) at rest, after a burst of
 * reports and after `kill -9` + restart of the platform. The same measurement runs inside `npm run bench`.
 */
import './env.ts';
// DynamoDB Local accepts any credentials; the SDK wants some (the bench reads the outbox straight from the table).
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
import { benchNotificationLag, printLagTable } from './notification-lag.ts';

const burst = Number(process.env.BENCH_LAG_BURST ?? 200);
const atRest = Number(process.env.BENCH_LAG_ACTIONS ?? 20);
const result = await benchNotificationLag({ burst, atRest });
printLagTable(`Notification lag, action → outbox (npm start as a child process; ${atRest} actions per row, a burst of ${burst} reports)`, result.rows);
for (const note of result.notes) console.log(`  ${note}`);
