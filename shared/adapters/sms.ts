import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { PermanentEffectError } from '#shared/domain/events/use-cases';
import type { SmsSender } from '#shared/domain/identity/ports';
import { renderSms, type SmsTemplateSettings } from '#shared/domain/messaging/sms-templates';
import type { Outbox } from './outbox.ts';

/** SNS answers that no retry can fix (an invalid or unreachable number). */
const PERMANENT = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'OptedOutException']);

export interface RenderOptions {
  /** The registered signature (签名), shown as `【signature】` before the text. */
  signature: string;
  /** The city's registered wording per template (`SMS_TEMPLATES`). */
  settings?: SmsTemplateSettings | undefined;
}

/**
 * SMS through SNS: the template rendered to text, a transactional publish to one phone number
 * (verification codes and case feedback must not be dropped as promotional traffic). The phone number
 * is never logged.
 */
export function snsSmsSender(client: SNSClient, options: RenderOptions & { senderId?: string | undefined }): SmsSender {
  return {
    async send(phone, message) {
      const command = new PublishCommand({
        PhoneNumber: phone,
        Message: renderSms(message, options),
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(options.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: options.senderId } } : {}),
        },
      });
      await client.send(command).catch((error: Error) => {
        // Named by the error only: SNS may echo the number in its message, which must not reach a log.
        if (PERMANENT.has(error.name)) throw new PermanentEffectError(`SNS refused the SMS (${error.name})`);
        throw new Error(`SNS did not send the SMS (${error.name})`);
      });
    },
  };
}

/** Local: the rendered SMS is kept in the outbox, where `GET /dev/outbox` shows it (with its template). */
export function outboxSmsSender(outbox: Outbox, options: RenderOptions): SmsSender {
  return {
    async send(phone, message, send) {
      await outbox.record({ channel: 'sms', destination: phone, body: renderSms(message, options), attributes: { template: message.template } }, { effectKey: send?.effectKey });
    },
  };
}
