import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { CaseEventMessage } from '#shared/domain/events/reactions';
import type { LiveEnvelope, StoredLiveMessage } from '#shared/domain/live/messages';
import type { TopicPublisher } from '#shared/domain/events/use-cases';
import type { Outbox } from './outbox.ts';

/**
 * Message attributes subscribers filter on (the hotline's queue takes `hotline=true`, `statusChange=true`:
 * hotline cases, and cases that hotline cases were merged into).
 */
export const topicAttributes = (message: CaseEventMessage): Record<string, string> => ({
  channel: message.channel,
  hotline: String(message.channel === 'hotline' || (message.followerTicketIds?.length ?? 0) > 0),
  action: message.action,
  toStatus: message.toStatus,
  statusChange: String(message.statusChange),
});

/** `case-events` on SNS. */
export function snsTopicPublisher(client: SNSClient, topicArn: string): TopicPublisher {
  return {
    async publish(message) {
      await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(message),
          MessageAttributes: Object.fromEntries(Object.entries(topicAttributes(message)).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
        }),
      );
    },
  };
}

/** Local: the topic message is kept in the outbox; the local platform delivers it to the local subscribers. */
export function outboxTopicPublisher(outbox: Outbox): TopicPublisher {
  return {
    async publish(message, options) {
      await outbox.record({ channel: 'topic', destination: 'case-events', subject: message.action, body: JSON.stringify(message), attributes: topicAttributes(message) }, { effectKey: options?.effectKey });
    },
  };
}

/** A route's own live message on `case-events` (attributes no other subscriber's filter takes). */
export interface LiveTopic {
  publish(message: StoredLiveMessage): Promise<void>;
}

const LIVE_ATTRIBUTES = { channel: 'live', live: 'true' };

export function snsLiveTopic(client: SNSClient, topicArn: string): LiveTopic {
  return {
    async publish(message) {
      const envelope: LiveEnvelope = { type: 'live', message };
      await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(envelope),
          MessageAttributes: Object.fromEntries(Object.entries(LIVE_ATTRIBUTES).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
        }),
      );
    },
  };
}

/** Local: kept in the outbox under `case-events`; the local platform hands it to the live fan-out. */
export function outboxLiveTopic(outbox: Outbox): LiveTopic {
  return {
    async publish(message) {
      const envelope: LiveEnvelope = { type: 'live', message };
      await outbox.record({ channel: 'topic', destination: 'case-events', subject: message.type, body: JSON.stringify(envelope), attributes: LIVE_ATTRIBUTES }, { effectKey: `live#${message.id}` });
    },
  };
}
