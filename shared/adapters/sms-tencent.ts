import { sms } from 'tencentcloud-sdk-nodejs-sms';
import { PermanentEffectError } from '#shared/domain/events/use-cases';
import type { SmsSender } from '#shared/domain/identity/ports';
import { orderedParams, type SmsMessage, type SmsTemplateSettings } from '#shared/domain/messaging/sms-templates';

type SendSmsRequest = Parameters<InstanceType<typeof sms.v20210111.Client>['SendSms']>[0];

/** The part of the Tencent Cloud SMS client CityGrid uses (tests stub it). */
export interface TencentSmsClient {
  SendSms(request: SendSmsRequest): Promise<{ SendStatusSet?: Array<{ Code?: string | undefined }> | undefined }>;
}

export interface TencentCredentials {
  secretId: string;
  secretKey: string;
}

/** Tencent Cloud's own client for its SMS API (2021-01-11) in the given region. */
export function createTencentClient(credentials: TencentCredentials, region = 'ap-guangzhou'): TencentSmsClient {
  return new sms.v20210111.Client({ credential: credentials, region, profile: { httpProfile: { reqTimeout: 10 } } });
}

/** Codes for which a retry cannot help (bad number, template or signature, unsubscribed or blacklisted). */
const PERMANENT = /^(FailedOperation\.(PhoneNumberInBlacklist|TemplateIncorrectOrUnapproved|SignatureIncorrectOrUnapproved|MissingTemplateToModify)|InvalidParameterValue\.(IncorrectPhoneNumber|TemplateParameterFormatError|TemplateParameterLengthLimit)|UnauthorizedOperation\.SmsSdkAppIdVerifyFail)$/;

/**
 * SMS through Tencent Cloud (腾讯云短信): the registered template by its provider id, the parameters in
 * the template's order ({1}, {2}…), under the registered signature, from the SMS application `appId`.
 */
export function tencentSmsSender(client: TencentSmsClient | (() => Promise<TencentSmsClient>), options: { signature: string; appId: string; settings: SmsTemplateSettings }): SmsSender {
  let resolved: TencentSmsClient | undefined;
  return {
    async send(phone, message: SmsMessage) {
      resolved ??= typeof client === 'function' ? await client() : client;
      const templateId = options.settings[message.template]?.providerTemplateId;
      if (!templateId) throw new PermanentEffectError(`No Tencent template id for ${message.template} (SMS_TEMPLATES)`);
      const response = await resolved.SendSms({ PhoneNumberSet: [phone], SmsSdkAppId: options.appId, SignName: options.signature, TemplateId: templateId, TemplateParamSet: orderedParams(message) }).catch((error: Error & { code?: unknown }) => {
        // Named only: the SDK's message may echo the request. Some refusals come as request errors.
        const failed = typeof error.code === 'string' ? error.code : undefined;
        if (failed && PERMANENT.test(failed)) throw new PermanentEffectError(`Tencent Cloud refused the SMS (${failed})`);
        throw new Error(`Tencent Cloud did not send the SMS (${error.name}${failed ? ` ${failed}` : ''})`);
      });
      const code = response.SendStatusSet?.[0]?.Code;
      if (code === 'Ok') return;
      if (code && PERMANENT.test(code)) throw new PermanentEffectError(`Tencent Cloud refused the SMS (${code})`);
      throw new Error(`Tencent Cloud did not send the SMS (${code ?? 'no status'})`);
    },
  };
}
