import { randomUUID } from 'node:crypto';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { matchesFilter } from '#shared/domain/hotline/callbacks';
import { loadHandler } from './handlers.ts';
import type { StreamConsumer } from './streams.ts';

export interface LocalSubscriptionOptions {
  name: string;
  repoRoot: string;
  /** The SQS consumer function (e.g. functions/hotline/deliver-callbacks.ts). */
  handlerEntry: string;
  /** Topic message attributes the subscription takes (the SNS filter policy). */
  filter: Record<string, readonly string[]>;
  maxReceiveCount: number;
  /** Delay before receive `n + 1`, in ms (compressed locally; the cloud uses the function's backoff). */
  retryDelayMs: (receiveCount: number) => number;
  /** A message that failed `maxReceiveCount` times (the cloud's dead-letter queue). */
  onDeadLetter: (body: string, attributes: Record<string, string>) => Promise<void>;
}

/**
 * The local stand-in for `case-events` → SNS subscription (raw delivery, filter policy) → SQS → Lambda:
 * topic messages the outbox recorded reach it through the stream; each matching message is handed to the
 * consumer function as an SQS event, redelivered after a delay while it fails, and dead-lettered after
 * `maxReceiveCount` receives. Delivery runs beside the stream, so a slow receiver never blocks it.
 */
export function createLocalSubscription(options: LocalSubscriptionOptions) {
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  const sleepers = new Set<() => void>();
  /** A retry delay that ends early when the platform stops. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  const handlerOf = () => loadHandler<SQSEvent, SQSBatchResponse | undefined>(options.repoRoot, options.handlerEntry);

  const deliver = async (body: string, attributes: Record<string, string>) => {
    const messageId = randomUUID();
    for (let receive = 1; !stopped; receive++) {
      const event = {
        Records: [
          {
            messageId,
            receiptHandle: `local-${messageId}-${receive}`,
            body,
            attributes: { ApproximateReceiveCount: String(receive) },
            messageAttributes: {},
            eventSource: 'aws:sqs',
            eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${options.name}`,
            awsRegion: 'us-east-1',
          },
        ],
      } as unknown as SQSEvent;
      const failed = await (await handlerOf())(event).then(
        // An SNS-invoked function (the live fan-out) answers nothing: it fails by throwing.
        (r) => (r?.batchItemFailures.length ?? 0) > 0,
        () => true,
      );
      if (!failed) return;
      if (receive >= options.maxReceiveCount) {
        await options.onDeadLetter(body, attributes);
        return;
      }
      await sleep(options.retryDelayMs(receive));
    }
  };

  const consumer: StreamConsumer = {
    name: options.name,
    async handle(records) {
      for (const record of records) {
        const image = record.dynamodb?.NewImage;
        if (record.eventName !== 'INSERT' || image?.__edb_e__?.S !== 'outboxMessage') continue;
        const item = unmarshall(image as Record<string, AttributeValue>) as { channel: string; destination: string; body: string; attributes?: Record<string, string> };
        if (item.channel !== 'topic' || item.destination !== 'case-events' || !matchesFilter(item.attributes ?? {}, options.filter)) continue;
        const run = deliver(item.body, item.attributes ?? {}).catch((error: Error) => console.error(`[${options.name}] delivery crashed`, error.message));
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
      }
      return undefined;
    },
  };

  return {
    consumer,
    /** Resolves once every delivery started so far has succeeded or been dead-lettered. */
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await Promise.allSettled([...inFlight]);
    },
  };
}
