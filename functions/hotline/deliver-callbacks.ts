import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { deliverCallback, retryDelaySeconds } from '#shared/domain/hotline/callbacks';
import { logger } from '#shared/observability/logger';
import { CaseEventMessageSchema } from '#shared/schemas/events';
import { getCallbackDeps, getRetryScheduler } from '#shared/wiring/callbacks';

const parseMessage = (body: string) => {
  try {
    const parsed = CaseEventMessageSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Hotline callbacks: `case-events` (hotline status changes) → SQS → here → signed POST to the hotline.
 * A failed delivery stays on the queue and comes back after an exponentially growing delay; after the
 * queue's maximum receive count it moves to the dead-letter queue (alarmed), so no status change is lost.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const attempt = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    const message = parseMessage(record.body);
    if (!message) {
      // Not what our publisher sends: no retry can fix it, so it goes to the (alarmed) dead-letter queue
      // in seconds rather than after hours of backoff.
      logger.error('hotline callback message is malformed; to the dead-letter queue', { messageId: record.messageId });
      await getRetryScheduler()
        .later(record, 1)
        .catch(() => undefined);
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      const outcome = await deliverCallback(getCallbackDeps(), message);
      logger.info('hotline callback', { messageId: record.messageId, caseId: message.caseId, seq: message.seq, outcome, attempt });
    } catch (error) {
      const delay = retryDelaySeconds(attempt);
      logger.warn('hotline callback failed; retrying later', { messageId: record.messageId, attempt, retryInSeconds: delay, error: (error as Error).message });
      await getRetryScheduler()
        .later(record, delay)
        .catch((e: Error) => logger.warn('could not delay the retry', { error: e.message }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
