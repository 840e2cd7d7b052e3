import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { getConfig } from '#shared/config/index';
import { getDb } from '#shared/data/db';
import type { SmsSender } from '#shared/domain/identity/ports';
import type { TimerStarter, TopicPublisher } from '#shared/domain/events/use-cases';
import { createOutbox } from '#shared/adapters/outbox';
import { outboxSmsSender, snsSmsSender } from '#shared/adapters/sms';
import { sfnTimerStarter } from '#shared/adapters/timers';
import { outboxTopicPublisher, snsTopicPublisher } from '#shared/adapters/topic';

let sns: SNSClient | undefined;
const snsClient = () => (sns ??= new SNSClient({ region: getConfig().AWS_REGION }));

let sms: SmsSender | undefined;

/** SMS through SNS, or into the local outbox (`MESSAGE_TRANSPORT=outbox`). */
export function getSmsSender(): SmsSender {
  if (!sms) {
    const config = getConfig();
    sms = config.MESSAGE_TRANSPORT === 'outbox' ? outboxSmsSender(createOutbox(getDb())) : snsSmsSender(snsClient(), { senderId: config.SMS_SENDER_ID });
  }
  return sms;
}

let topic: TopicPublisher | undefined;

/** The `case-events` topic, or the local outbox. */
export function getTopicPublisher(): TopicPublisher {
  if (!topic) {
    const config = getConfig();
    if (config.MESSAGE_TRANSPORT === 'outbox') topic = outboxTopicPublisher(createOutbox(getDb()));
    else if (config.CASE_EVENTS_TOPIC_ARN) topic = snsTopicPublisher(snsClient(), config.CASE_EVENTS_TOPIC_ARN);
    else throw new Error('CASE_EVENTS_TOPIC_ARN is not set');
  }
  return topic;
}

let timers: TimerStarter | undefined;

/** Deadline timers: Step Functions in the cloud, the local platform's Step Functions endpoint locally. */
export function getTimerStarter(): TimerStarter {
  if (!timers) {
    const config = getConfig();
    if (!config.ESCALATION_STATE_MACHINE_ARN) throw new Error('ESCALATION_STATE_MACHINE_ARN is not set');
    const client = new SFNClient({ region: config.AWS_REGION, ...(config.STEPFUNCTIONS_ENDPOINT ? { endpoint: config.STEPFUNCTIONS_ENDPOINT } : {}) });
    timers = sfnTimerStarter(client, config.ESCALATION_STATE_MACHINE_ARN);
  }
  return timers;
}
