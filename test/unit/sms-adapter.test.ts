import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { snsSmsSender } from '#shared/adapters/sms';
import { aliyunSmsSender, type AliyunSmsClient } from '#shared/adapters/sms-aliyun';
import { tencentSmsSender, type TencentSmsClient } from '#shared/adapters/sms-tencent';
import { parseConfig, smsProviderProblems } from '#shared/config/index';
import { PermanentEffectError } from '#shared/domain/events/use-cases';
import { renderSms, SMS_TEMPLATES, type SmsMessage, type SmsTemplateId } from '#shared/domain/messaging/sms-templates';

// SNS, Aliyun and Tencent Cloud have no local engine: SNS is pinned with aws-sdk-client-mock, the
// providers' SDK clients are stubbed (objects recording the request the real client would be given).
const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

const code: SmsMessage = { template: 'verification-code', params: { code: '123456' } };
const escalation: SmsMessage = { template: 'escalation', params: { caseNumber: '【2026】字第【7】号', level: '2', holder: '雁峰街道城管大队' } };
const allTemplateIds = (prefix: string) => Object.fromEntries((Object.keys(SMS_TEMPLATES) as SmsTemplateId[]).map((id, i) => [id, { providerTemplateId: `${prefix}${1000 + i}` }]));

describe('the SNS SMS sender', () => {
  it('publishes the rendered template as a transactional SMS with the signature and sender id', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await snsSmsSender(new SNSClient({ region: 'ap-southeast-1' }), { signature: '衡阳数字城管', senderId: 'CityGrid' }).send('+8613800000007', code);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      PhoneNumber: '+8613800000007',
      Message: '【衡阳数字城管】您的验证码是123456，5分钟内有效。如非本人操作，请忽略本短信。',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'CityGrid' },
      },
    });
  });

  it("renders the city's registered wording when configured, omits the sender id when none, and surfaces failures", async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded for +8613800000007'), { name: 'ThrottlingException' }));
    const settings = { 'verification-code': { text: '验证码${code}（5分钟有效）' } };
    // A failure is rethrown by its name only: SNS may echo the number in the message, and a 500 logs it.
    const failed = snsSmsSender(new SNSClient({ region: 'ap-southeast-1' }), { signature: 'CityGrid', settings }).send('+8613800000007', code);
    await expect(failed).rejects.toThrow('SNS did not send the SMS (ThrottlingException)');
    await expect(failed).rejects.not.toThrow('13800000007');
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.Message).toBe('【CityGrid】验证码123456（5分钟有效）');
    expect(input.MessageAttributes).not.toHaveProperty(['AWS.SNS.SMS.SenderID']);
  });
});

describe('the Aliyun SMS sender (SDK client stubbed)', () => {
  const stub = (answer: { code: string }) => {
    const requests: unknown[] = [];
    const client: AliyunSmsClient = { sendSms: async (request) => (requests.push({ ...request }), { body: answer }) };
    return { client, requests };
  };

  it('sends the registered template id with the parameters as JSON, the signature, and the number without +86', async () => {
    const { client, requests } = stub({ code: 'OK' });
    await aliyunSmsSender(client, { signature: '衡阳数字城管', settings: allTemplateIds('SMS_') }).send('+8613800000007', escalation);
    expect(requests).toEqual([
      expect.objectContaining({ phoneNumbers: '13800000007', signName: '衡阳数字城管', templateCode: 'SMS_1007', templateParam: JSON.stringify(escalation.params) }),
    ]);
  });

  it('treats an unregistered template or a bad number as permanent and throttling as retryable', async () => {
    await expect(aliyunSmsSender(stub({ code: 'isv.SMS_TEMPLATE_ILLEGAL' }).client, { signature: 'x', settings: allTemplateIds('SMS_') }).send('+8613800000007', code)).rejects.toBeInstanceOf(PermanentEffectError);
    const throttled = aliyunSmsSender(stub({ code: 'isv.BUSINESS_LIMIT_CONTROL' }).client, { signature: 'x', settings: allTemplateIds('SMS_') }).send('+8613800000007', code);
    await expect(throttled).rejects.toThrow('isv.BUSINESS_LIMIT_CONTROL');
    await expect(throttled).rejects.not.toBeInstanceOf(PermanentEffectError);
    await expect(aliyunSmsSender(stub({ code: 'OK' }).client, { signature: 'x', settings: {} }).send('+8613800000007', code)).rejects.toBeInstanceOf(PermanentEffectError);
  });

  it('rethrows a network failure by name and code only (the SDK puts the request URL, number and code, in its message)', async () => {
    const client: AliyunSmsClient = {
      sendSms: async () => {
        throw Object.assign(new Error('socket hang up at https://dysmsapi.aliyuncs.com/?PhoneNumbers=13800000007&TemplateParam=%7B%22code%22%3A%22123456%22%7D'), { name: 'RequestError', code: 'ECONNRESET' });
      },
    };
    const failed = aliyunSmsSender(client, { signature: 'x', settings: allTemplateIds('SMS_') }).send('+8613800000007', code);
    await expect(failed).rejects.toThrow(/^Aliyun did not send the SMS \(RequestError ECONNRESET\)$/);
    await expect(failed).rejects.not.toBeInstanceOf(PermanentEffectError);
  });
});

describe('the Tencent Cloud SMS sender (SDK client stubbed)', () => {
  const stub = (status: string) => {
    const requests: unknown[] = [];
    const client: TencentSmsClient = { SendSms: async (request) => (requests.push(request), { SendStatusSet: [{ Code: status }] }) };
    return { client, requests };
  };

  it("sends the registered template with the parameters in the template's order from the SMS application", async () => {
    const { client, requests } = stub('Ok');
    await tencentSmsSender(client, { signature: '衡阳数字城管', appId: '1400000001', settings: allTemplateIds('') }).send('+8613800000007', escalation);
    expect(requests).toEqual([
      { PhoneNumberSet: ['+8613800000007'], SmsSdkAppId: '1400000001', SignName: '衡阳数字城管', TemplateId: '1007', TemplateParamSet: ['【2026】字第【7】号', '2', '雁峰街道城管大队'] },
    ]);
  });

  it('treats an unapproved template as permanent and a rate limit as retryable', async () => {
    const options = { signature: 'x', appId: '1400000001', settings: allTemplateIds('') };
    await expect(tencentSmsSender(stub('FailedOperation.TemplateIncorrectOrUnapproved').client, options).send('+8613800000007', code)).rejects.toBeInstanceOf(PermanentEffectError);
    const limited = tencentSmsSender(stub('LimitExceeded.PhoneNumberDailyLimit').client, options).send('+8613800000007', code);
    await expect(limited).rejects.toThrow('LimitExceeded.PhoneNumberDailyLimit');
    await expect(limited).rejects.not.toBeInstanceOf(PermanentEffectError);
    const client: TencentSmsClient = {
      SendSms: async () => {
        throw Object.assign(new Error('request to +8613800000007 failed'), { name: 'TencentCloudSDKHttpException', code: 'ETIMEDOUT' });
      },
    };
    await expect(tencentSmsSender(client, options).send('+8613800000007', code)).rejects.toThrow(/^Tencent Cloud did not send the SMS \(TencentCloudSDKHttpException ETIMEDOUT\)$/);
    // A refusal the API answers as a request error (an unapproved signature) is permanent too.
    const refusing: TencentSmsClient = {
      SendSms: async () => {
        throw Object.assign(new Error('signature not approved'), { name: 'TencentCloudSDKHttpException', code: 'FailedOperation.SignatureIncorrectOrUnapproved' });
      },
    };
    await expect(tencentSmsSender(refusing, options).send('+8613800000007', code)).rejects.toBeInstanceOf(PermanentEffectError);
  });
});

describe('SMS templates and their configuration, checked at start-up', () => {
  it('renders every default template with all its parameters and no placeholder left', () => {
    for (const [id, template] of Object.entries(SMS_TEMPLATES)) {
      const params = Object.fromEntries(template.params.map((p) => [p, `<${p}>`]));
      const text = renderSms({ template: id, params } as SmsMessage, { signature: 'CityGrid' });
      expect(text.startsWith('【CityGrid】'), id).toBe(true);
      for (const p of template.params) expect(text, id).toContain(`<${p}>`);
      expect(text, id).not.toContain('${');
    }
  });

  it('refuses a configured wording whose placeholders differ from the template parameters, and an unknown template', () => {
    expect(() => parseConfig({ TABLE_NAME: 'citygrid', SMS_TEMPLATES: JSON.stringify({ 'verification-code': { text: '验证码${otp}' } }) })).toThrow(/SMS_TEMPLATES.*verification-code\.text/);
    expect(() => parseConfig({ TABLE_NAME: 'citygrid', SMS_TEMPLATES: JSON.stringify({ 'no-such-template': { text: 'x' } }) })).toThrow(/SMS_TEMPLATES/);
    expect(() => parseConfig({ TABLE_NAME: 'citygrid', SMS_SIGNATURE: '【CityGrid】' })).toThrow(/SMS_SIGNATURE/);
    expect(parseConfig({ TABLE_NAME: 'citygrid', SMS_TEMPLATES: JSON.stringify({ 'case-filed': { text: '${caseNumber}已立案（${date}）' } }) }).SMS_TEMPLATES).toEqual({ 'case-filed': { text: '${caseNumber}已立案（${date}）' } });
  });

  it('requires every provider template id, the credentials secret and (Tencent) the app id for a mainland provider', () => {
    const aliyun = parseConfig({ TABLE_NAME: 'citygrid', SMS_PROVIDER: 'aliyun', SMS_TEMPLATES: JSON.stringify({ 'verification-code': { providerTemplateId: 'SMS_1' } }) });
    const problems = smsProviderProblems(aliyun, { needsSecret: true }).join('\n');
    expect(problems).toMatch(/providerTemplateId\) of case-filed, case-rejected/);
    expect(problems).toMatch(/SMS_CREDENTIALS_SECRET_ARN/);
    const tencent = parseConfig({ TABLE_NAME: 'citygrid', SMS_PROVIDER: 'tencent', SMS_TEMPLATES: JSON.stringify(allTemplateIds('')) });
    expect(smsProviderProblems(tencent, { needsSecret: false })).toEqual(['TENCENT_SMS_APP_ID: Tencent Cloud needs the SMS application id']);
    expect(smsProviderProblems(parseConfig({ TABLE_NAME: 'citygrid' }), { needsSecret: true })).toEqual([]);
  });
});
