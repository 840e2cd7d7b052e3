import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { PermanentEffectError } from '#shared/domain/events/use-cases';
import type { SmsSender } from '#shared/domain/identity/ports';
import type { SmsMessage, SmsTemplateSettings } from '#shared/domain/messaging/sms-templates';

/** The part of the Aliyun SMS client CityGrid uses (tests stub it). */
export interface AliyunSmsClient {
  sendSms(request: SendSmsRequest): Promise<{ body?: { code?: string | undefined; message?: string | undefined } | undefined }>;
}

export interface AliyunCredentials {
  accessKeyId: string;
  accessKeySecret: string;
}

/** Aliyun's own client for its SMS API (Dysmsapi 2017-05-25) on the given endpoint. */
export function createAliyunClient(credentials: AliyunCredentials, endpoint = 'dysmsapi.aliyuncs.com'): AliyunSmsClient {
  // A CommonJS package compiled from TypeScript: Node's ESM import gives `module.exports`, whose
  // `default` is the Client class (bundlers may hand over the class itself).
  const Client = ((Dysmsapi as unknown as { default?: unknown }).default ?? Dysmsapi) as new (config: $OpenApiUtil.Config) => AliyunSmsClient;
  return new Client(new $OpenApiUtil.Config({ accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.accessKeySecret, endpoint }));
}

/** Codes for which a retry cannot help (bad number, unregistered template or signature, blacklisted). */
const PERMANENT = new Set(['isv.MOBILE_NUMBER_ILLEGAL', 'isv.TEMPLATE_MISSING_PARAMETERS', 'isv.SMS_TEMPLATE_ILLEGAL', 'isv.SMS_SIGNATURE_ILLEGAL', 'isv.BLACK_KEY_CONTROL_LIMIT', 'isv.PARAM_LENGTH_LIMIT']);

/**
 * SMS through Aliyun (阿里云短信服务): the registered template by its provider id, the parameters as a
 * JSON object, under the registered signature. Mainland numbers are sent without `+86`.
 */
export function aliyunSmsSender(client: AliyunSmsClient | (() => Promise<AliyunSmsClient>), options: { signature: string; settings: SmsTemplateSettings }): SmsSender {
  let resolved: AliyunSmsClient | undefined;
  return {
    async send(phone, message: SmsMessage) {
      resolved ??= typeof client === 'function' ? await client() : client;
      const templateCode = options.settings[message.template]?.providerTemplateId;
      if (!templateCode) throw new PermanentEffectError(`No Aliyun template id for ${message.template} (SMS_TEMPLATES)`);
      const response = await resolved
        .sendSms(new SendSmsRequest({ phoneNumbers: phone.replace(/^\+86/, ''), signName: options.signature, templateCode, templateParam: JSON.stringify(message.params) }))
        .catch((error: Error & { code?: unknown }) => {
          // Named only: the SDK's message carries the request URL, with the number and the parameters.
          throw new Error(`Aliyun did not send the SMS (${error.name}${typeof error.code === 'string' ? ` ${error.code}` : ''})`);
        });
      const code = response.body?.code;
      if (code === 'OK') return;
      // Named by the code only: the message may echo the number.
      if (code && PERMANENT.has(code)) throw new PermanentEffectError(`Aliyun refused the SMS (${code})`);
      throw new Error(`Aliyun did not send the SMS (${code ?? 'no code'})`);
    },
  };
}
