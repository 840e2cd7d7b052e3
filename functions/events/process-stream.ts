import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { caseEventModel } from '#shared/data/entities/cases';
import { fromStored, isOf } from '#shared/data/model';
import type { CaseEvent } from '#shared/domain/cases/model';
import { processCaseEvent } from '#shared/domain/events/use-cases';
import { logger, redactNumbers } from '#shared/observability/logger';
import { getEventDeps } from '#shared/wiring/events';

/** The new timeline event in a stream record, or undefined for any other change of the table. */
export function timelineEventOf(record: DynamoDBRecord): CaseEvent | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  return isOf(caseEventModel, item) ? fromStored(caseEventModel, item) : undefined;
}

/**
 * The event processor: DynamoDB Streams → one call per batch (locally the platform's stream poller).
 * Records are handled in order; at the first failure the rest of the batch is reported failed from that
 * record on (ReportBatchItemFailures), so nothing is skipped and a case's events stay in order. Every
 * effect is idempotent, so the records before it may safely come again.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const timelineEvent = timelineEventOf(record);
    if (!timelineEvent) continue;
    try {
      const { done } = await processCaseEvent(getEventDeps(), timelineEvent);
      logger.info('case event processed', { caseId: timelineEvent.caseId, seq: timelineEvent.seq, action: timelineEvent.action, done });
    } catch (error) {
      const { name, message } = error as Error;
      logger.error('case event failed; the batch resumes here', { caseId: timelineEvent.caseId, seq: timelineEvent.seq, error: { name, message: redactNumbers(message) } });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
