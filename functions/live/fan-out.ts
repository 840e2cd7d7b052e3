import type { SNSEvent } from 'aws-lambda';
import { fanOut, liveMessageOf } from '#shared/domain/live/use-cases';
import { logger } from '#shared/observability/logger';
import { LiveTopicMessageSchema } from '#shared/schemas/events';
import { getLiveDeps, getLiveSourceDeps } from '#shared/wiring/live';

/**
 * 实时推送 — the live fan-out: each `case-events` message (SNS → this function; locally the platform's
 * subscription) becomes a live message (timeline events the channel carries; routes' own messages as
 * they are), is stored for `missed` and sent to every socket whose scope takes it. A failure throws:
 * the topic's delivery retries it and then moves it to the effects' dead-letter queue; a repeat has the
 * same id, which consoles drop.
 */
export async function handler(event: SNSEvent | { Records: Array<{ body: string }> }): Promise<void> {
  for (const record of event.Records) {
    const body = 'Sns' in record ? record.Sns.Message : record.body;
    const parsed = parse(body);
    if (!parsed) {
      logger.error('live fan-out: not a case-events message; skipped');
      continue;
    }
    const message = await liveMessageOf(getLiveSourceDeps(), parsed);
    if (!message) continue;
    const { sent, gone } = await fanOut(getLiveDeps(), message);
    logger.info('live message sent', { id: message.id, type: message.type, sent, gone });
  }
}

function parse(body: string) {
  try {
    const result = LiveTopicMessageSchema.safeParse(JSON.parse(body));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
