import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PermanentEffectError } from '#shared/domain/events/use-cases';
import type { SmsSender } from '#shared/domain/identity/ports';
import type { Outbox } from './outbox.ts';

/** SNS answers that no retry can fix (an invalid or unreachable number). */
const PERMANENT = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'OptedOutException']);

/**
 * SMS through SNS: a transactional publish to one phone number (verification codes and case feedback
 * must not be dropped as promotional traffic). The phone number is never logged.
 */
export function snsSmsSender(client: SNSClient, options: { senderId?: string | undefined }): SmsSender {
  return {
    async send(phone, text) {
      const command = new PublishCommand({
        PhoneNumber: phone,
        Message: text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(options.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: options.senderId } } : {}),
        },
      });
      await client.send(command).catch((error: Error) => {
        // Named by the error only: SNS may echo the number in its message, which must not reach a log.
        if (PERMANENT.has(error.name)) throw new PermanentEffectError(`SNS refused the SMS (${error.name})`);
        throw error;
      });
    },
  };
}

/** Local: the SMS is kept in the outbox, where `GET /dev/outbox` shows it. */
export function outboxSmsSender(outbox: Outbox): SmsSender {
  return {
    async send(phone, text) {
      await outbox.record({ channel: 'sms', destination: phone, body: text });
    },
  };
}
