/**
 * `npm run bench`: starts the local platform (in memory, free ports) and measures routes through the
 * gateway (autocannon over loopback) and the same handlers invoked in-process, then the notification
 * lag (action → outbox) on `npm start` run as a child process. Prints tables; the
 * figures go in docs/performance.md. Not part of the test suite: this machine is shared and noisy,
 * so read ratios, not absolute numbers.
 */
import './env.ts'; // first: the environment the handlers' modules read when they load
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { freePort } from '#infra/local/ports';
import { startPlatform } from '#infra/local/platform';
import { routes } from '#shared/contract/index';
import { toEvent } from '#infra/local/gateway';
import { loadHttp, loadInProcess, printTable } from './lib.ts';
import { benchLogin, benchToken } from './login.ts';
import { benchLocate } from './locate.ts';
import { benchCases } from './cases.ts';
import { benchStaffImport } from './admin.ts';
import { benchStats } from './stats.ts';
import { benchEscalation } from './escalation.ts';
import { benchColdStart, printColdStart } from './cold-start.ts';
import { benchNearby } from './nearby.ts';
import { printPhotoBench } from './photo-hashes-print.ts';
import { benchNotificationLag, printLagTable } from './notification-lag.ts';
import { benchWallHeap, printWallHeap } from './wall-heap.ts';
import { benchLive, printLiveBench } from './live.ts';
import { benchField, printFieldBench } from './field.ts';

const loginCount = Number(process.env.BENCH_LOGINS ?? 200);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);

const platform = await startPlatform({ port: 0, dynamoPort: await freePort(), s3Port: await freePort() });
try {
  const healthRoute = { id: 'getHealth' as const, ...routes.getHealth };
  const url = new URL('/v1/health', platform.url);
  const event = toEvent(
    { headers: { host: url.host, 'user-agent': 'bench' }, method: 'GET', httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1' } as never },
    url,
    Buffer.alloc(0),
    healthRoute,
    {},
    randomUUID(),
  );
  const direct = await loadInProcess('GET /v1/health, handler in-process', () => platform.gateway.invoke(healthRoute, event), seconds);
  const viaGateway = await loadHttp('GET /v1/health, through the gateway (10 connections)', url.href, { seconds, connections: 10 });
  const single = await loadHttp('GET /v1/health, through the gateway (1 connection)', url.href, { seconds, connections: 1 });
  printTable(`Health (${seconds} s each, Node ${process.version})`, [direct, single, viaGateway]);
  console.log(
    `\nGateway overhead (1 connection): +${(single.meanMs - direct.meanMs).toFixed(3)} ms per request;` +
      ` mean latency ratio gateway / in-process = ${(single.meanMs / direct.meanMs).toFixed(1)}`,
  );
  console.log('(autocannon reports percentiles in whole milliseconds; the mean is derived from throughput.)');

  const locate = await benchLocate(seconds);
  printTable(`Grid locate (${seconds} s each, R-tree + turf point-in-polygon)`, locate.rows);
  console.log(`\nMedian latency ratio 2,000 / 20 grids = ${locate.ratio.toFixed(2)} (near 1: indexed, not a linear scan)`);
  const locateHttp = await loadHttp('GET /v1/grids/locate through the gateway (demo city, 1 connection)', `${platform.url}/v1/grids/locate?lat=26.879&lng=112.613`, {
    seconds,
    connections: 1,
    headers: { authorization: `Bearer ${(await benchToken(platform.url))}` },
  });
  printTable('Grid locate over HTTP (auth included: token verify + user GetItem + version GetItem)', [locateHttp]);

  // The event processor runs in this process too: paused, so the figures are the requests' own costs.
  platform.events.pause();
  const caseRows = await benchCases(platform.url, Number(process.env.BENCH_CASES ?? 100));
  printTable('Cases through the gateway, one client, DynamoDB Local', caseRows);
  console.log('\nDynamoDB requests per HTTP request (auth included):');
  for (const row of caseRows) console.log(`  ${row.name.padEnd(32)} ${row.roundTripsPerRequest.toFixed(2)}`);

  const staffRows = await benchStaffImport(platform.url, Number(process.env.BENCH_STAFF_ROWS ?? 500));
  printTable('Staff import, POST /v1/admin/staff/batch through the gateway, DynamoDB Local (goal: 500 rows ≤ 10 s)', staffRows);
  for (const row of staffRows) console.log(`  ${row.name.padEnd(36)} ${row.roundTrips} DynamoDB requests`);

  const statsSizes = (process.env.BENCH_STATS_SIZES ?? '1000,100000').split(',').map(Number);
  const statsBench = await benchStats(platform.dynamoEndpoint, statsSizes, seconds);
  printTable('Year summary (city scope, in-process over DynamoDB Local; one Query of 365 daily items)', statsBench.rows);
  console.log(`\nMedian latency ratio ${statsSizes.at(-1)} / ${statsSizes[0]} cases = ${statsBench.ratio.toFixed(2)} (seeding took ${statsBench.seedSeconds.map((s) => s.toFixed(0) + ' s').join(', ')})`);

  const nearbySizes = (process.env.BENCH_NEARBY_SIZES ?? '1000,100000').split(',').map(Number);
  const nearness = await benchNearby(platform.dynamoEndpoint, nearbySizes, seconds);
  printTable('Nearness (in-process over DynamoDB Local: covering geohash ranges on gsi5, parallel Queries, exact distances)', nearness.rows);
  console.log(`\nMedian latency ratio ${nearbySizes.at(-1)} / ${nearbySizes[0]} open cases: nearby ${nearness.nearbyRatio.toFixed(2)}, similar ${nearness.similarRatio.toFixed(2)}`);

  await printPhotoBench(platform.dynamoEndpoint, (process.env.BENCH_PHOTO_SIZES ?? '1000,10000').split(',').map(Number));

  platform.events.resume();
  await platform.settle();
  const escalationCount = Number(process.env.BENCH_ESCALATIONS ?? 20);
  printTable(
    `Deadline escalation, ${escalationCount} cases one at a time (local Step Functions, waits shortened; mean/p50/p99 in ms, req/s not applicable)`,
    await benchEscalation(platform, escalationCount),
  );

  printTable(`Login flow through the gateway, ${loginCount} new phones, one client, DynamoDB Local`, await benchLogin(platform.url, loginCount));
} finally {
  await platform.stop();
}

// With the in-process platform stopped: action → outbox lag on `npm start` run as a child process
// (at rest, after a burst of reports, after kill -9 and a restart).
const lagBurst = Number(process.env.BENCH_LAG_BURST ?? 200);
const lagActions = Number(process.env.BENCH_LAG_ACTIONS ?? 20);
const lag = await benchNotificationLag({ burst: lagBurst, atRest: lagActions });
printLagTable(`Notification lag, action → outbox (${lagActions} actions per row, a burst of ${lagBurst} reports; seconds)`, lag.rows);
for (const note of lag.notes) console.log(`  ${note}`);

// The live channel on `npm start` as a child process: 20 consoles, report → console latency, a 200-report burst.
printLiveBench(
  await benchLive({
    consoles: Number(process.env.BENCH_LIVE_CONSOLES ?? 20),
    latencyReports: Number(process.env.BENCH_LIVE_REPORTS ?? 50),
    burst: Number(process.env.BENCH_LIVE_BURST ?? 200),
    concurrency: Number(process.env.BENCH_LIVE_CONCURRENCY ?? 6),
  }),
);

// The wall page's heap under a report every 5 s (its own platform and Chromium; BENCH_WALL_MINUTES, default 15).
const wallMinutes = Number(process.env.BENCH_WALL_MINUTES ?? 15);
printWallHeap(await benchWallHeap(wallMinutes), wallMinutes);

// 城管通 and /m/ in Chromium on a platform of their own: first load, offline open, queued delivery, Lighthouse.
const fieldRuns = {
  deliveries: Number(process.env.BENCH_FIELD_DELIVERIES ?? 10),
  opens: Number(process.env.BENCH_FIELD_OPENS ?? 5),
  lighthouseRuns: Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3),
};
printFieldBench(await benchField(fieldRuns), fieldRuns);

// Last, with the platform stopped: every function of the synthesized app against the bare SDK handler.
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 7);
printColdStart(await benchColdStart({ cdkOut: resolve(process.env.CDK_OUT ?? 'cdk.out'), runs: coldRuns }), coldRuns);
