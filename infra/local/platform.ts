import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { routeList } from '#shared/contract/index';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb.ts';
import { acquireDataLock, type HeldLock } from './data-lock.ts';
import { createGateway, listen, type Gateway } from './gateway.ts';
import { assertPortFree } from './ports.ts';
import { loadLocalSecrets, type LocalSecrets } from './secrets.ts';
import { seedDemoCity } from './seed.ts';
import { loadHandler } from './handlers.ts';
import { LOCAL_ANCHOR_BUCKET, startS3, type LocalS3 } from './s3.ts';
import type { StaticMount } from './static.ts';
import { webAppMounts } from './web-apps.ts';
import { startLocalStepFunctions, type LocalStepFunctions } from './step-functions.ts';
import { startStreamPoller, type StreamPoller, type StreamRecord } from './streams.ts';
import { createLocalSubscription } from './subscriptions.ts';
import { attachLiveSockets, LIVE_SOCKET_PATH } from './live-sockets.ts';
import { HOTLINE_SUBSCRIPTION_FILTER, MAX_DELIVERY_ATTEMPTS } from '#shared/domain/hotline/callbacks';
import { createOutbox } from '#shared/adapters/outbox';
import { getTable } from '#shared/data/db';
import { createCaseStore } from '#shared/data/case-store';
import { createApiKeyStore } from '#shared/data/open311-store';
import { recordForKey } from '#shared/domain/open311/api-keys';
import { getTimerStarter } from '#shared/wiring/messaging';

/** Stream lanes of the local event processor: up to this many cases' events are handled at once. */
export const EVENT_PROCESSOR_LANES = 10;

/** The name of the local Open311 key, as the case timeline shows it. */
export const LOCAL_OPEN311_CLIENT = '本地 Open311 客户端';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** How often the stack anchors the audit record's head (infra/constructs/audit-anchor.ts); locally the same. */
export const ANCHOR_INTERVAL_MS = 60 * 60 * 1000;

/** Browser origins allowed by default locally: a Vite dev server of a web client. */
export const LOCAL_CORS_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

export interface PlatformOptions {
  /** Gateway port; 0 picks a free one. */
  port: number;
  /** Persist DynamoDB and S3 under this folder; omitted → DynamoDB in memory, S3 in a temp folder. */
  dataDir?: string;
  dynamoPort: number;
  s3Port: number;
  /** Use an already running DynamoDB Local (the test suite shares one) instead of starting one. */
  dynamoEndpoint?: string;
  tableName?: string;
  bucket?: string;
  /** Extra environment for the handlers (tests shorten cache lifetimes with it). */
  env?: Record<string, string>;
  /** Called with one line per request. */
  onRequest?: (line: string) => void;
  /** The local Step Functions endpoint's port (0 or omitted: any free port). */
  stepFunctionsPort?: number;
  /** Escalation wait states shortened by name, in ms (tests; the definition itself is unchanged). */
  escalationWaitOverrides?: Record<string, number>;
  /** Escalation task retry intervals by state name, in ms (tests). */
  escalationRetryOverrides?: Record<string, number>;
  /**
   * Origins whose browser calls CORS allows (default: `CORS_ORIGINS` in `.data/local.env`, else Vite's dev
   * server). Same-origin pages (the console under /console/) need none; `/dev/*` never allows any.
   */
  corsOrigins?: string[];
  /** Local delay before redelivering a failed hotline callback (receive count → ms). */
  callbackRetryDelayMs?: (receiveCount: number) => number;
  /** Built web apps served by the gateway; default: every app in `WEB_APPS` from its `dist/`. */
  staticMounts?: StaticMount[];
  /** How often the live sockets' sessions are re-checked, in ms (default 60 000, as the cloud's schedule; tests shorten it). */
  liveRecheckMs?: number;
  /** How often the audit record's head is anchored into the local anchor bucket, in ms (default hourly, as the stack; also once at start). */
  anchorIntervalMs?: number;
}

export interface Platform {
  url: string;
  tableName: string;
  bucket: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  /** True when this start created the table (an empty database) and loaded the demo city. */
  createdTable: boolean;
  secrets: LocalSecrets;
  gateway: Gateway;
  stepFunctions: LocalStepFunctions;
  /**
   * Pauses / resumes the stream poller (the bench isolates request costs from the processor's work);
   * `failures()`: deliveries a stream consumer failed so far (each retried or dropped).
   */
  events: { pause(): void; resume(): void; failures(): number };
  /** The live channel's local WebSocket server (`ws://…/live`): open sockets now. */
  live: { count(): number };
  /** Resolves when every stream record written so far has been handled (tests wait for effects with it). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the whole platform locally: DynamoDB Local (table from THE definition), s3rver with the photo
 * bucket, the environment the handlers read, and the HTTP gateway over the route table. Anything started
 * is stopped again if a later step fails, so a failed start leaves no java behind.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const tableName = options.tableName ?? 'citygrid-local';
  const bucket = options.bucket ?? 'citygrid-photos-local';
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((e) => console.error('[platform] stop failed', e));
  };
  try {
    // The data folder is ours alone while we run (`platform.lock.json`): a city command started on it
    // meanwhile uses our DynamoDB Local, and we refuse a folder a city command (or a second npm start) has open.
    let lock: HeldLock | undefined;
    if (options.dataDir && !options.dynamoEndpoint) {
      mkdirSync(options.dataDir, { recursive: true });
      lock = await acquireDataLock(options.dataDir, { owner: 'npm start', dynamoPort: options.dynamoPort });
      stops.push(async () => lock!.release());
    }
    if (options.port !== 0) await assertPortFree(options.port, 'the API gateway');
    if (!options.dynamoEndpoint) await assertPortFree(options.dynamoPort, 'DynamoDB Local');
    await assertPortFree(options.s3Port, 's3rver');

    let dynamo: DynamoDbLocal | undefined;
    if (!options.dynamoEndpoint) {
      dynamo = await startDynamoDbLocal({ port: options.dynamoPort, ...(options.dataDir ? { dbPath: join(options.dataDir, 'dynamodb') } : {}) });
      stops.push(dynamo.stop);
      lock?.update({ dynamoPid: dynamo.pid });
    }
    const dynamoEndpoint = options.dynamoEndpoint ?? dynamo!.endpoint;
    const createdTable = await ensureTable(dynamoEndpoint, tableName);
    const secrets = loadLocalSecrets(options.dataDir);
    const corsOrigins = options.corsOrigins ?? secrets.CORS_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean) ?? LOCAL_CORS_ORIGINS;

    const s3Dir = options.dataDir ? join(options.dataDir, 's3') : mkdtempSync(join(tmpdir(), 'citygrid-s3-'));
    if (!options.dataDir) stops.push(async () => rmSync(s3Dir, { recursive: true, force: true }));
    const pendingUploads = new Set<Promise<void>>();
    const s3: LocalS3 = await startS3({
      port: options.s3Port,
      directory: s3Dir,
      bucket,
      otherBuckets: [LOCAL_ANCHOR_BUCKET],
      onEvent: (event) => {
        // The photo bucket's objects only (as the cloud's notification is on that bucket), not the anchors.
        if (!event.Records.some((r) => (r.s3 as { bucket?: { name?: string } } | undefined)?.bucket?.name === bucket)) return;
        const run = processS3Event(event).finally(() => pendingUploads.delete(run));
        pendingUploads.add(run);
      },
    });
    stops.push(async () => void (await Promise.allSettled([...pendingUploads])));
    stops.push(s3.stop);
    lock?.update({ s3Endpoint: s3.endpoint });

    const stepFunctions = await startLocalStepFunctions({
      port: options.stepFunctionsPort ?? 0,
      repoRoot: REPO_ROOT,
      ...(options.escalationWaitOverrides ? { waitOverrides: options.escalationWaitOverrides } : {}),
      ...(options.escalationRetryOverrides ? { retryOverrides: options.escalationRetryOverrides } : {}),
    });
    stops.push(stepFunctions.stop);

    // The gateway listens before the environment is set: its address is the default hotline callback
    // target, and the configuration is read once per process (the first handler or store call fixes it).
    // Until the platform is ready (demo city loaded, consumers running) it answers 503 to everything, so
    // a script polling a fixed port's /v1/health does not go on before the data it needs is there.
    const gateway = createGateway(routeList(), {
      startClosed: true,
      repoRoot: REPO_ROOT,
      corsOrigins,
      staticMounts: options.staticMounts ?? webAppMounts(REPO_ROOT, undefined, { photoOrigin: s3.endpoint }),
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    });
    const { server, url } = await listen(gateway, options.port);
    stops.push(() => closeServer(server));
    lock?.update({ url });
    // The live channel's WebSocket on the same port and path as the cloud's stage (`/live`).
    const live = attachLiveSockets(server, { repoRoot: REPO_ROOT, recheckMs: options.liveRecheckMs ?? 60_000 });
    stops.push(live.stop);

    // The handlers read their configuration from the environment, exactly as in Lambda.
    Object.assign(process.env, {
      // Hotline callbacks go where `.data/local.env` (or the caller) says; by default to the local
      // stand-in receiver, which verifies them and keeps them in the outbox.
      HOTLINE_CALLBACK_URL: secrets.HOTLINE_CALLBACK_URL ?? `${url}/dev/hotline-callbacks`,
      CITYGRID_LOCAL: '1',
      // `{host}`: the host the console called the ticket route on (localhost or 127.0.0.1), so the socket
      // stays on the page's own origin (the Content-Security-Policy's 'self').
      LIVE_SOCKET_URL: `ws://{host}${LIVE_SOCKET_PATH}`,
      STAGE: 'local',
      AWS_REGION: 'us-east-1',
      // s3rver checks signatures against these fixed credentials; DynamoDB Local accepts any.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      TABLE_NAME: tableName,
      PHOTO_BUCKET: bucket,
      AUDIT_ANCHOR_BUCKET: LOCAL_ANCHOR_BUCKET,
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      S3_ENDPOINT: s3.endpoint,
      MESSAGE_TRANSPORT: 'outbox',
      // This process is the only event processor of its table: a lease left by an earlier process (one
      // that was killed) is taken over at once, not after its 40 s.
      EFFECT_LEASES: 'exclusive',
      STEPFUNCTIONS_ENDPOINT: stepFunctions.endpoint,
      ESCALATION_STATE_MACHINE_ARN: stepFunctions.stateMachineArn,
      ...secrets,
      CORS_ORIGINS: corsOrigins.join(','),
      ...options.env,
    });
    if (createdTable) await seedDemoCity(dynamoEndpoint, tableName);
    // The local Open311 key (`.data/local.env`) is registered like an admin-created one, at every start.
    await createApiKeyStore(getTable()).put(recordForKey(secrets.OPEN311_API_KEY, LOCAL_OPEN311_CLIENT, 'local-platform', new Date()));

    // DynamoDB Streams → the event processor, and case-events → the hotline callback queue, as in the cloud.
    const callbacks = createLocalSubscription({
      name: 'hotline-callbacks',
      repoRoot: REPO_ROOT,
      handlerEntry: 'functions/hotline/deliver-callbacks.ts',
      filter: HOTLINE_SUBSCRIPTION_FILTER,
      maxReceiveCount: MAX_DELIVERY_ATTEMPTS,
      retryDelayMs: options.callbackRetryDelayMs ?? ((n) => Math.min(1000 * 2 ** (n - 1), 30_000)),
      onDeadLetter: async (body, attributes) => {
        await createOutbox(getTable()).record({ channel: 'dead-letter', destination: 'hotline-callbacks', body, attributes });
        console.error('[hotline-callbacks] a callback failed every retry; it is in /dev/outbox as dead-letter');
      },
    });
    // case-events → the live fan-out (the cloud's SNS → Lambda subscription; retried, then dead-lettered).
    const liveFanOut = createLocalSubscription({
      name: 'live-fan-out',
      repoRoot: REPO_ROOT,
      handlerEntry: 'functions/live/fan-out.ts',
      filter: {},
      maxReceiveCount: 3,
      retryDelayMs: (n) => 200 * n,
      onDeadLetter: async (body, attributes) => {
        await createOutbox(getTable()).record({ channel: 'dead-letter', destination: 'live-fan-out', body, attributes });
        console.error('[live] a message failed every retry; it is in /dev/outbox as dead-letter');
      },
    });
    const streams: StreamPoller = await startStreamPoller({
      dynamoEndpoint,
      tableName,
      // With a data folder the poller resumes after a restart (or a crash) where it stopped.
      ...(options.dataDir ? { positionsFile: join(options.dataDir, 'stream-positions.json') } : {}),
      consumers: [
        {
          name: 'event-processor',
          handle: processStreamRecords,
          // The cloud's filter criteria (infra/constructs/case-events.ts): new timeline events only.
          accepts: (record) => record.eventName === 'INSERT' && record.dynamodb?.NewImage?.__edb_e__?.S === 'caseEvent',
          // The cloud's table has a shard per partition and a processor per shard at once; DynamoDB Local
          // has one shard. Lanes by partition key (a case's events stay in order) stand in for that.
          parallelization: EVENT_PROCESSOR_LANES,
        },
        callbacks.consumer,
        liveFanOut.consumer,
      ],
    });
    stops.push(callbacks.stop);
    stops.push(liveFanOut.stop);
    stops.push(streams.stop);

    if (!createdTable) await resumeTimers();

    // The hourly anchor of the audit record's head, as the stack's scheduled rule runs it: once now, then
    // every hour. A failed anchor is logged and tried again at the next tick.
    const anchor = await loadHandler<unknown, { key: string; seq: number }>(REPO_ROOT, 'functions/ops/anchor-audit.ts');
    const runAnchor = () => anchor({}).catch((error: Error) => console.error('[audit-anchor] anchoring failed:', error.message));
    await runAnchor();
    const anchorTimer = setInterval(runAnchor, options.anchorIntervalMs ?? ANCHOR_INTERVAL_MS);
    anchorTimer.unref();
    stops.push(async () => clearInterval(anchorTimer));

    const settle = async () => {
      // Effects are stream records themselves (timer events, outbox messages): wait until two poll
      // rounds in a row hand over nothing new and nothing is in flight (at most ~30 s).
      let quiet = 0;
      for (let round = 0; round < 100 && quiet < 2; round++) {
        const before = streams.handed();
        await new Promise((resolve) => setTimeout(resolve, 150));
        await streams.drain();
        await callbacks.drain();
        await liveFanOut.drain();
        quiet = streams.handed() === before ? quiet + 1 : 0;
      }
    };
    gateway.open();
    return { url, tableName, bucket, dynamoEndpoint, s3Endpoint: s3.endpoint, createdTable, secrets, gateway, stepFunctions, live: { count: live.count }, events: { pause: streams.pause, resume: streams.resume, failures: streams.failures }, settle, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Local timers live in this process: after a restart, the open dispatched cases get their current timer
 * again (same execution name; the plan continues the case's schedule, so nothing is warned twice).
 */
async function resumeTimers(): Promise<void> {
  const store = createCaseStore(getTable());
  const timers = getTimerStarter();
  let cursor: string | undefined;
  let resumed = 0;
  do {
    const page = await store.listByStatus('dispatched', { limit: 100, cursor });
    for (const c of page.items) {
      if (c.timerSeq === undefined) continue;
      await timers.start({ caseId: c.id, timerSeq: c.timerSeq });
      resumed++;
    }
    cursor = page.nextCursor;
  } while (cursor);
  if (resumed > 0) console.log(`[platform] resumed ${resumed} deadline timer(s)`);
}

/** Invokes the event processor as the stream's event source mapping would; returns the first failed sequence number. */
async function processStreamRecords(records: StreamRecord[]): Promise<string | undefined> {
  const handler = await loadHandler<unknown, { batchItemFailures: Array<{ itemIdentifier: string }> }>(REPO_ROOT, 'functions/events/process-stream.ts');
  const result = await handler({ Records: records.map((r) => ({ ...r, eventSource: 'aws:dynamodb', eventSourceARN: 'local' })) });
  return result.batchItemFailures[0]?.itemIdentifier;
}

/** Invokes the upload processor as S3 would (in-process, like the gateway's handlers). */
async function processS3Event(event: unknown): Promise<void> {
  try {
    const handler = await loadHandler<unknown, void>(REPO_ROOT, 'functions/uploads/process-upload.ts');
    await handler(event);
  } catch (error) {
    console.error('[platform] upload processing failed', error);
  }
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}
