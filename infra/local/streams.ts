import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';

export type StreamRecord = _Record;

/** A consumer of the table's stream, like a Lambda event source mapping with ReportBatchItemFailures. */
export interface StreamConsumer {
  name: string;
  /** Returns the sequence number of the first record that failed (the batch resumes there), or undefined. */
  handle(records: StreamRecord[]): Promise<string | undefined>;
}

export interface StreamPollerOptions {
  dynamoEndpoint: string;
  tableName: string;
  consumers: StreamConsumer[];
  /** Idle poll interval per shard. */
  intervalMs?: number;
  /** Attempts per failing batch before its records are dropped (the cloud's on-failure destination). */
  maxAttempts?: number;
  retryBaseMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The local stand-in for DynamoDB Streams → Lambda: polls DynamoDB Local's stream (every shard, new shards
 * as they appear) and hands each batch to the consumers in order. A consumer that reports a failure gets
 * the batch again from the failed record, with backoff, up to `maxAttempts`; then the records are logged
 * as dropped, as the event source mapping would send them to its on-failure destination.
 */
export async function startStreamPoller(options: StreamPollerOptions) {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ endpoint: options.dynamoEndpoint, region: 'us-east-1', credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.dynamoEndpoint, region: 'us-east-1', credentials });
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`);
  const interval = options.intervalMs ?? 50;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryBase = options.retryBaseMs ?? 100;

  let stopped = false;
  let paused = false;
  const startMinute = Math.floor(Date.now() / 60_000) * 60_000;
  const known = new Set<string>();
  const pollers = new Set<Promise<void>>();
  /** Records handed to the consumers so far (`settle()` waits until it stops moving). */
  let handed = 0;
  /** Batches in flight or waiting for a retry; `drain()` waits until there are none. */
  let busy = 0;

  const deliver = async (consumer: StreamConsumer, records: StreamRecord[]) => {
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
      const index = pending.findIndex((r) => r.dynamodb?.SequenceNumber === failedAt);
      pending = index >= 0 ? pending.slice(index) : pending;
      if (attempt >= maxAttempts) {
        console.error(`[streams] ${consumer.name}: ${pending.length} record(s) dropped after ${attempt} attempts (on-failure destination)`);
        return;
      }
      await sleep(retryBase * 2 ** (attempt - 1));
    }
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

  const pollShard = async (shardId: string, iteratorType: 'LATEST' | 'TRIM_HORIZON') => {
    let iterator = await iteratorFor(shardId, { type: iteratorType });
    let last: string | undefined;
    let fromOldest = false;
    while (iterator && !stopped) {
      if (paused) {
        await sleep(interval);
        continue;
      }
      const result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 })).catch(async (error: Error) => {
        if (stopped) return undefined;
        if (error.name === 'ExpiredIteratorException' || error.name === 'TrimmedDataAccessException') {
          // An iterator lives 15 minutes (e.g. across a long pause): continue after the last record
          // handled (trimmed: from the oldest left), or — nothing handled yet — from the oldest, skipping
          // what is older than this poller below.
          const position = last && error.name === 'ExpiredIteratorException' ? { after: last } : { type: 'TRIM_HORIZON' as const };
          if (!('after' in position) && iteratorType === 'LATEST') fromOldest = true;
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
      // A shard meant to be read "from now on" but renewed from its oldest record skips what was written
      // before this poller started (DynamoDB Local stamps records to the minute: the start's minute passes).
      const records = (result.Records ?? []).filter((r) => !fromOldest || !r.dynamodb?.ApproximateCreationDateTime || r.dynamodb.ApproximateCreationDateTime.getTime() >= startMinute);
      if (records.length > 0) {
        busy++;
        handed += records.length;
        try {
          for (const consumer of options.consumers) await deliver(consumer, records);
        } finally {
          busy--;
        }
        last = records.at(-1)!.dynamodb?.SequenceNumber ?? last;
      } else await sleep(interval);
      iterator = result.NextShardIterator;
    }
  };

  /** Running shard pollers by shard id: a child shard starts after its parent is read to its end (order per key). */
  const running = new Map<string, Promise<void>>();
  const discover = async (initial: boolean) => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || known.has(shard.ShardId)) continue;
      known.add(shard.ShardId);
      // Shards open at start are read from now on; shards that appear later are new and read whole.
      const open = !shard.SequenceNumberRange?.EndingSequenceNumber;
      if (initial && !open) continue;
      const parent = shard.ParentShardId ? running.get(shard.ParentShardId) : undefined;
      const run = (async () => {
        if (parent) await parent;
        await pollShard(shard.ShardId!, initial ? 'LATEST' : 'TRIM_HORIZON');
      })().catch((error: Error) => console.error('[streams] shard poller stopped', error.message));
      running.set(shard.ShardId, run);
      pollers.add(run);
      void run.finally(() => {
        pollers.delete(run);
        running.delete(shard.ShardId!);
      });
    }
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
