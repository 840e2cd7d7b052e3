import { SNSClient } from '@aws-sdk/client-sns';
import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { liveMessage, type LiveInput } from '#shared/domain/live/messages';
import { createOutbox } from '#shared/adapters/outbox';
import { outboxLiveTopic, snsLiveTopic, type LiveTopic } from '#shared/adapters/topic';
import { logger } from '#shared/observability/logger';
import { cachedDepartments } from './reference.ts';

/** Publishes a route's own live message (roll calls, duty): see {@link getLivePublisher}. */
export interface LivePublisher {
  publish(input: LiveInput): Promise<void>;
}

let publisher: LivePublisher | undefined;

/**
 * 实时推送 for routes — `roll-call.answered`, `duty.changed` — through the `case-events` topic to the
 * live fan-out (consoles in scope; `missed`). The route's route-table entry says `needs: { liveTopic: true }`
 * (the CDK app then grants the publish). Best effort: what the route wrote is already stored, so a failed
 * publish is logged, never turned into an error of the request.
 *
 * ```ts
 * await getLivePublisher().publish({ type: 'roll-call.answered', at: now, source: `roll-call:${id}:answered`,
 *   summary: `${name} 已应答点名`, departmentId: person.departmentId, userIds: [person.id] });
 * ```
 */
export function getLivePublisher(): LivePublisher {
  if (!publisher) {
    const config = getConfig();
    let topic: LiveTopic | undefined;
    const topicOf = () => {
      if (topic) return topic;
      if (config.MESSAGE_TRANSPORT === 'outbox') topic = outboxLiveTopic(createOutbox(getTable()));
      else if (config.CASE_EVENTS_TOPIC_ARN) topic = snsLiveTopic(new SNSClient({ region: config.AWS_REGION }), config.CASE_EVENTS_TOPIC_ARN);
      else throw new Error('CASE_EVENTS_TOPIC_ARN is not set (route-table entry: needs.liveTopic)');
      return topic;
    };
    publisher = {
      async publish(input) {
        try {
          await topicOf().publish(liveMessage(input, await cachedDepartments()));
        } catch (error) {
          logger.warn('live message not published', { type: input.type, source: input.source, error: (error as Error).name });
        }
      },
    };
  }
  return publisher;
}
