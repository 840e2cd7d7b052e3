import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export type StreamRecord = _Record;

/** A consumer of the table's stream, like a Lambda event source mapping with ReportBatchItemFailures. */
export interface StreamConsumer {
  name: string;
  /** Returns the sequence number of the first record that failed (the batch resumes there), or undefined. */
  handle(records: StreamRecord[]): Promise<string | undefined>;
  /** Only these records are handed over (the event source mapping's filter criteria); default: all. */
  accepts?(record: StreamRecord): boolean;
  /**
   * Batches of one shard handled at once, records split by partition key so that one key's records stay
   * in order (the event source mapping's ParallelizationFactor; a case's events share its partition).
   * Each lane is retried on its own, and a slow lane holds up only its own keys. Default 1.
   */
  parallelization?: number;
}

export interface StreamPollerOptions {
  dynamoEndpoint: string;
  tableName: string;
  consumers: StreamConsumer[];
  /** Idle poll interval per shard. */
  intervalMs?: number;
  /** Records read per GetRecords (at most 1,000). */
  batchSize?: number;
  /** Batches read ahead of the oldest one still being handled, per shard (back-pressure). */
  maxBatchesInFlight?: number;
  /** Attempts per failing batch before its records are dropped (the cloud's on-failure destination). */
  maxAttempts?: number;
  retryBaseMs?: number;
  /**
   * Where the poller keeps its position in each shard (JSON, rewritten atomically after every handled
   * batch). With it, a restart — even after `kill -9` — continues after the last handled record instead
   * of at the stream's end, so no acknowledged write misses its effects. Omitted: start at the end.
   */
  positionsFile?: string;
}

/** The poller's position in one shard. */
interface ShardPosition {
  /** The last record handed to every consumer (the next read starts after it). */
  after?: string;
  /** Nothing handled yet: read from the shard's oldest record, skipping records older than this (epoch ms). */
  since: number;
  /** The shard is closed and was read to its end. */
  done?: boolean;
}

interface SavedPositions {
  version: 1;
  streamArn: string;
  shards: Record<string, ShardPosition>;
}

/** The saved positions of this stream, or undefined (no file, unreadable, or another stream: the table was re-created). */
function loadPositions(file: string | undefined, streamArn: string): Record<string, ShardPosition> | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedPositions;
    return saved.version === 1 && saved.streamArn === streamArn && typeof saved.shards === 'object' ? saved.shards : undefined;
  } catch (error) {
    console.error('[streams] ignoring unreadable positions file', (error as Error).message);
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** FNV-1a of a string: the lane of a partition key. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The local stand-in for DynamoDB Streams → Lambda: polls DynamoDB Local's stream (every shard, new shards
 * as they appear) and hands each batch to every consumer at once (each consumer keeps its own order: a
 * slow one does not hold up the others). Within a consumer, a batch is split into lanes by partition key
 * (`parallelization`); a lane's next records wait only for that lane, while the shard reader reads ahead
 * (`maxBatchesInFlight`). A lane that reports a failure gets its records again from the failed one, with
 * backoff, up to `maxAttempts`; then they are logged as dropped, as the event source mapping would send
 * them to its on-failure destination. The position in a shard is saved once every batch up to it was
 * handled by every consumer, in stream order.
 */
export async function startStreamPoller(options: StreamPollerOptions) {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ endpoint: options.dynamoEndpoint, region: 'us-east-1', credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.dynamoEndpoint, region: 'us-east-1', credentials });
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`);
  const hashKey = Table?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? 'pk';
  const interval = options.intervalMs ?? 50;
  const batchSize = Math.min(options.batchSize ?? 1000, 1000);
  const maxInFlight = Math.max(1, options.maxBatchesInFlight ?? 20);
  const maxAttempts = options.maxAttempts ?? 5;
  const retryBase = options.retryBaseMs ?? 100;

  let stopped = false;
  let paused = false;
  const startMinute = Math.floor(Date.now() / 60_000) * 60_000;
  const saved = loadPositions(options.positionsFile, streamArn);
  /** True when this start continues from saved positions (a restart), false on a first start. */
  const resuming = saved !== undefined;
  const positions: Record<string, ShardPosition> = saved ?? {};
  const savePositions = () => {
    if (!options.positionsFile) return;
    const body: SavedPositions = { version: 1, streamArn, shards: positions };
    // Write-then-rename: a crash mid-write leaves the previous file whole, never half of one.
    const temporary = `${options.positionsFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(body));
    renameSync(temporary, options.positionsFile);
  };
  const known = new Set<string>();
  const pollers = new Set<Promise<void>>();
  /** Records handed to the consumers so far (`settle()` waits until it stops moving). */
  let handed = 0;
  /** Batches in flight or waiting for a retry; `drain()` waits until there are none. */
  let busy = 0;
  /** Deliveries a consumer failed (each one is retried or, after `maxAttempts`, dropped). */
  let failures = 0;

  /** Hands `records` (one lane) to `consumer`, again from the failed record while it fails. */
  const deliverLane = async (consumer: StreamConsumer, records: StreamRecord[]) => {
    let pending = records;
    for (let attempt = 1; pending.length > 0 && !stopped; attempt++) {
      let failedAt: string | undefined;
      try {
        failedAt = await consumer.handle(pending);
      } catch (error) {
        console.error(`[streams] ${consumer.name} threw`, (error as Error).message);
        failedAt = pending[0]!.dynamodb?.SequenceNumber;
      }
      if (failedAt === undefined) return;
      failures++;
      const index = pending.findIndex((r) => r.dynamodb?.SequenceNumber === failedAt);
      pending = index >= 0 ? pending.slice(index) : pending;
      if (attempt >= maxAttempts) {
        console.error(`[streams] ${consumer.name}: ${pending.length} record(s) dropped after ${attempt} attempts (on-failure destination)`);
        return;
      }
      await sleep(retryBase * 2 ** (attempt - 1));
    }
  };

  /** Per shard and consumer, the tail of each lane: a lane's next records start after its previous ones. */
  const laneTails = new Map<string, Promise<void>>();
  const laneOf = (record: StreamRecord, lanes: number) => {
    if (lanes <= 1) return 0;
    const key = record.dynamodb?.Keys?.[hashKey];
    return hashOf(key?.S ?? key?.N ?? JSON.stringify(key ?? null)) % lanes;
  };
  /** Queues one batch for every consumer, lane by lane; resolves once all of it was handled. */
  const dispatch = (shardId: string, records: StreamRecord[]): Promise<void> => {
    const parts: Promise<void>[] = [];
    for (const consumer of options.consumers) {
      const lanes = Math.max(1, consumer.parallelization ?? 1);
      const byLane = new Map<number, StreamRecord[]>();
      for (const record of records) {
        if (consumer.accepts && !consumer.accepts(record)) continue;
        const lane = laneOf(record, lanes);
        byLane.set(lane, [...(byLane.get(lane) ?? []), record]);
      }
      for (const [lane, laneRecords] of byLane) {
        const id = `${shardId}|${consumer.name}|${lane}`;
        const run = (laneTails.get(id) ?? Promise.resolve()).then(() => deliverLane(consumer, laneRecords));
        laneTails.set(id, run);
        parts.push(run);
        void run.finally(() => {
          if (laneTails.get(id) === run) laneTails.delete(id);
        });
      }
    }
    return Promise.all(parts).then(() => undefined);
  };

  const iteratorFor = async (shardId: string, position: { type: 'LATEST' | 'TRIM_HORIZON' } | { after: string }) =>
    (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...('after' in position ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: position.after } : { ShardIteratorType: position.type }),
        }),
      )
    ).ShardIterator;

  /**
   * Reads one shard from `start` to its end (a closed shard) or until stopped. `LATEST` reads from now on;
   * `TRIM_HORIZON` from the oldest record kept, skipping records created before `since` (epoch ms).
   */
  const pollShard = async (shardId: string, start: { type: 'LATEST' | 'TRIM_HORIZON'; since?: number } | { after: string }) => {
    let iterator = await iteratorFor(shardId, 'after' in start ? start : { type: start.type });
    let last: string | undefined = 'after' in start ? start.after : undefined;
    const iteratorType = 'after' in start ? 'AFTER_SEQUENCE_NUMBER' : start.type;
    /** Records created before this (epoch ms) are skipped: they came before this poller's first start. */
    let notBefore = 'type' in start && start.type === 'TRIM_HORIZON' ? (start.since ?? 0) : 0;
    /** Batches read and not yet handled by every consumer, oldest first; the position moves in this order. */
    const inFlight: Array<Promise<void>> = [];
    /** The last saved position: batches are checkpointed one after another, in stream order. */
    let checkpoint: Promise<void> = Promise.resolve();
    while (iterator && !stopped) {
      if (paused) {
        await sleep(interval);
        continue;
      }
      if (inFlight.length >= maxInFlight) {
        await inFlight[0];
        continue;
      }
      const result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize })).catch(async (error: Error) => {
        if (stopped) return undefined;
        if (error.name === 'ExpiredIteratorException' || error.name === 'TrimmedDataAccessException') {
          // An iterator lives 15 minutes (e.g. across a long pause): continue after the last record
          // handled (trimmed: from the oldest left), or — nothing handled yet — from the oldest, skipping
          // what is older than this poller below.
          const position = last && error.name === 'ExpiredIteratorException' ? { after: last } : { type: 'TRIM_HORIZON' as const };
          if (!('after' in position) && iteratorType === 'LATEST' && !last) notBefore = startMinute;
          try {
            iterator = await iteratorFor(shardId, position);
          } catch (renewal) {
            console.error('[streams] could not renew a shard iterator; trying again', (renewal as Error).message);
            await sleep(interval * 10);
          }
          return undefined;
        }
        console.error('[streams] GetRecords failed', error.message);
        await sleep(interval * 10);
        return undefined;
      });
      if (!result) continue;
      // A shard read from its oldest record on behalf of a "from now on" start skips what was written
      // before the poller first started (DynamoDB Local stamps records to the minute: that minute passes).
      const records = (result.Records ?? []).filter((r) => !notBefore || !r.dynamodb?.ApproximateCreationDateTime || r.dynamodb.ApproximateCreationDateTime.getTime() >= notBefore);
      const newest = result.Records?.at(-1)?.dynamodb?.SequenceNumber;
      if (newest) last = newest;
      if (records.length > 0 || newest) {
        busy++;
        handed += records.length;
        const handled = records.length > 0 ? dispatch(shardId, records) : Promise.resolve();
        // Remember the position only after every consumer is done with this batch and every batch before
        // it: a crash before that redelivers the batch (the effect ledger makes that safe), a crash after
        // it never does. Stopped part-way: not saved, the next start reads the batch again.
        const saved = (checkpoint = Promise.all([checkpoint, handled]).then(() => {
          if (stopped || !newest) return;
          positions[shardId] = { ...positions[shardId], since: positions[shardId]?.since ?? 0, after: newest };
          savePositions();
        }));
        inFlight.push(saved);
        void saved.finally(() => {
          busy--;
          inFlight.splice(inFlight.indexOf(saved), 1);
        });
      }
      if (records.length === 0) await sleep(interval);
      iterator = result.NextShardIterator;
    }
    await checkpoint;
    if (!iterator && !stopped) {
      positions[shardId] = { ...positions[shardId], since: positions[shardId]?.since ?? 0, done: true };
      savePositions();
    }
  };

  /** Running shard pollers by shard id: a child shard starts after its parent is read to its end (order per key). */
  const running = new Map<string, Promise<void>>();
  const discover = async (initial: boolean) => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId;
      if (!shardId || known.has(shardId)) continue;
      known.add(shardId);
      const open = !shard.SequenceNumberRange?.EndingSequenceNumber;
      const saved = positions[shardId];
      let start: Parameters<typeof pollShard>[1];
      if (saved?.done) continue;
      if (saved?.after) start = { after: saved.after }; // a restart: after the last handled record
      else if (saved) start = { type: 'TRIM_HORIZON', since: saved.since }; // seen, nothing handled yet
      else if (initial && !resuming) {
        // A first start: shards open now are read from now on; closed ones are history.
        positions[shardId] = open ? { since: startMinute } : { since: startMinute, done: true };
        if (!open) continue;
        start = { type: 'LATEST' };
      } else {
        // A shard that appeared since (split, or while the platform was down): new, read whole.
        positions[shardId] = { since: 0 };
        start = { type: 'TRIM_HORIZON' };
      }
      const parent = shard.ParentShardId ? running.get(shard.ParentShardId) : undefined;
      const run = (async () => {
        if (parent) await parent;
        await pollShard(shardId, start);
      })().catch((error: Error) => console.error('[streams] shard poller stopped', error.message));
      running.set(shardId, run);
      pollers.add(run);
      void run.finally(() => {
        pollers.delete(run);
        running.delete(shardId);
      });
    }
    savePositions();
  };

  await discover(true);
  const discovery = (async () => {
    while (!stopped) {
      for (let i = 0; i < 10 && !stopped; i++) await sleep(100);
      if (!stopped) await discover(false).catch((error: Error) => console.error('[streams] DescribeStream failed', error.message));
    }
  })();

  return {
    /** Stops reading the stream (records wait there, as behind a disabled event source mapping). */
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    /** Resolves once no batch is being handled (tests wait for side effects with it). */
    /** How many records the consumers have been given so far. */
    handed: () => handed,
    /** How many deliveries a consumer failed so far (each was handed over again or dropped). */
    failures: () => failures,
    async drain() {
      while (busy > 0) await sleep(10);
    },
    async stop() {
      stopped = true;
      await discovery;
      await Promise.allSettled([...pollers]);
      dynamo.destroy();
      streams.destroy();
    },
  };
}

export type StreamPoller = Awaited<ReturnType<typeof startStreamPoller>>;
