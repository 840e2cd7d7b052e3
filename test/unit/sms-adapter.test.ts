import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { snsSmsSender } from '#shared/adapters/sms';

// SNS has no local engine: the publish shape is pinned with aws-sdk-client-mock.
const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

describe('the SNS SMS sender', () => {
  it('publishes a transactional SMS to the phone number with the sender id', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await snsSmsSender(new SNSClient({ region: 'ap-southeast-1' }), { senderId: 'CityGrid' }).send('+8613800000007', '验证码 123456');
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      PhoneNumber: '+8613800000007',
      Message: '验证码 123456',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'CityGrid' },
      },
    });
  });

  it('omits the sender id when none is configured, and surfaces failures', async () => {
    sns.on(PublishCommand).rejects(new Error('throttled'));
    await expect(snsSmsSender(new SNSClient({ region: 'ap-southeast-1' }), {}).send('+8613800000007', 'x')).rejects.toThrow('throttled');
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes).not.toHaveProperty(['AWS.SNS.SMS.SenderID']);
  });
});
