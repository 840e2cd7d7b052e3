import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { getSecretJson } from '#shared/adapters/secrets';
import { loggableError, redactDetails, redactText } from '#shared/observability/logger';
import * as z from '#shared/validation/zod';

// What an SMS provider's SDK puts in a network error: the request URL with the number and the code.
const PHONE = '13800000007';
const aliyunFailure = () =>
  Object.assign(new Error(`connect ETIMEDOUT 106.11.1.1:443 at https://dysmsapi.aliyuncs.com/?PhoneNumbers=${PHONE}&SignName=x&TemplateParam=%7B%22code%22%3A%22654321%22%7D&Action=SendSms`), {
    name: 'RequestError',
    cause: { request: { PhoneNumbers: PHONE } },
  });

describe('what errors may put in a log', () => {
  it('keeps an error\'s name, message and stack positions but not the number, the code, the query or the cause', () => {
    const logged = loggableError(aliyunFailure());
    const text = JSON.stringify(logged);
    expect(logged.name).toBe('RequestError');
    expect(logged.message).toBe('connect ETIMEDOUT 106.11.1.1:443 at https://dysmsapi.aliyuncs.com/?…');
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain('654321');
    expect(text).not.toContain('cause');
    expect(logged.stack).toMatch(/log-redaction\.test\.ts:\d+:\d+/); // where it happened stays readable
  });

  it('masks a code and a number written out in text, and every string of log details', () => {
    expect(redactText('TemplateParam={"code":"654321"} to +8613800000007')).toBe('TemplateParam={"code":"***"} to ***');
    expect(redactText('验证码 code: 1234')).toBe('验证码 code: ***');
    expect(redactDetails({ key: `case-1#sms#caller:+86${PHONE}`, attempt: 2 })).toEqual({ key: 'case-1#sms#caller:***', attempt: 2 });
    expect(loggableError('plain string')).toEqual({ name: 'string', message: 'plain string' });
    expect(redactText('手机13800000007，号码 +86 138 0000 0007')).toBe('手机***，号码 ***');
  });

  it('leaves ids, dates, provider error codes and stack positions readable', () => {
    const id = '5f0c3a1e-2026-4121-8345-901234567890';
    expect(redactDetails({ caseId: id, at: '2026-11-24T08:00:00.000Z' })).toEqual({ caseId: id, at: '2026-11-24T08:00:00.000Z' });
    expect(redactText('errorCode 40001 at file:///var/task/index.mjs:1:234567')).toBe('errorCode 40001 at file:///var/task/index.mjs:1:234567');
  });

  it('cuts the query of each of many URLs in a long message, and leaves the rest as it was', () => {
    const long = 'http://a/b?phone=13800000007 x '.repeat(20_000);
    expect(redactText(long)).toBe('http://a/b?… x '.repeat(20_000));
  });
});

describe('a secret stored wrongly', () => {
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => secrets.reset());

  it('fails naming the secret, never echoing its value (a webhook secret stored as plain text)', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    const shape = z.object({ current: z.string() });
    const failure = getSecretJson('arn:aws:secretsmanager:cn-north-1:123456789012:secret:hotline', 'cn-north-1', shape);
    await expect(failure).rejects.toThrow('is not JSON');
    await expect(failure).rejects.not.toThrow('MfKQ9r8G');
  });
});
