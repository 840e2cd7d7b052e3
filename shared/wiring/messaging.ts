import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { ConfigError, getConfig, smsProviderProblems, type Config } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import type { SmsSender } from '#shared/domain/identity/ports';
import type { TimerStarter, TopicPublisher } from '#shared/domain/events/use-cases';
import { createOutbox } from '#shared/adapters/outbox';
import { outboxSmsSender, snsSmsSender } from '#shared/adapters/sms';
import { getSecretJson } from '#shared/adapters/secrets';
import * as z from '#shared/validation/zod';
import { sfnTimerStarter } from '#shared/adapters/timers';
import { outboxTopicPublisher, snsTopicPublisher } from '#shared/adapters/topic';

let sns: SNSClient | undefined;
const snsClient = () => (sns ??= new SNSClient({ region: getConfig().AWS_REGION }));

declare global {
  /**
   * Which SMS provider's SDK the bundle carries: set by the CDK bundling (esbuild `define`) to the stack's
   * provider, so the other providers' SDKs (0.5–1.1 MB each) are dead code and left out of every bundle;
   * undefined when run from source (local platform, tests), where every provider can load.
   */
  var CITYGRID_SMS_BUNDLE: string | undefined;
}

let sms: SmsSender | undefined;

/**
 * The SMS port: SNS, Aliyun or Tencent Cloud by `SMS_PROVIDER`, or the local outbox
 * (`MESSAGE_TRANSPORT=outbox`). A mainland provider's SDK and credentials load on the first send, so a
 * container that never sends pays nothing for them.
 */
export function getSmsSender(): SmsSender {
  if (!sms) {
    const config = getConfig();
    const render = { signature: config.SMS_SIGNATURE, settings: config.SMS_TEMPLATES };
    if (config.MESSAGE_TRANSPORT === 'outbox') sms = outboxSmsSender(createOutbox(getTable()), render);
    else if (config.SMS_PROVIDER === 'sns') sms = snsSmsSender(snsClient(), { ...render, senderId: config.SMS_SENDER_ID });
    else sms = providerSmsSender(config);
  }
  return sms;
}

function providerSmsSender(config: Config): SmsSender {
  const problems = smsProviderProblems(config, { needsSecret: true });
  if (problems.length > 0) throw new ConfigError(`Invalid CityGrid configuration — ${problems.join('; ')}`);
  const secretArn = config.SMS_CREDENTIALS_SECRET_ARN!;
  const options = { signature: config.SMS_SIGNATURE, settings: config.SMS_TEMPLATES };
  // `if` on the bundle constant, not a lookup: esbuild drops a dead branch's import, and the SDK with it.
  if (config.SMS_PROVIDER === 'aliyun' && (globalThis.CITYGRID_SMS_BUNDLE === undefined || globalThis.CITYGRID_SMS_BUNDLE === 'aliyun')) {
    return lazySender(async () => {
      const { aliyunSmsSender, createAliyunClient } = await import('#shared/adapters/sms-aliyun');
      const credentials = await getSecretJson(secretArn, config.AWS_REGION, z.object({ accessKeyId: z.string().check(z.minLength(1)), accessKeySecret: z.string().check(z.minLength(1)) }));
      return aliyunSmsSender(createAliyunClient(credentials, config.SMS_PROVIDER_REGION), options);
    });
  }
  if (config.SMS_PROVIDER === 'tencent' && (globalThis.CITYGRID_SMS_BUNDLE === undefined || globalThis.CITYGRID_SMS_BUNDLE === 'tencent')) {
    return lazySender(async () => {
      const { tencentSmsSender, createTencentClient } = await import('#shared/adapters/sms-tencent');
      const credentials = await getSecretJson(secretArn, config.AWS_REGION, z.object({ secretId: z.string().check(z.minLength(1)), secretKey: z.string().check(z.minLength(1)) }));
      return tencentSmsSender(createTencentClient(credentials, config.SMS_PROVIDER_REGION), { ...options, appId: config.TENCENT_SMS_APP_ID! });
    });
  }
  throw new ConfigError(`SMS_PROVIDER is ${config.SMS_PROVIDER} but this bundle was built for ${globalThis.CITYGRID_SMS_BUNDLE}: deploy with -c smsProvider=${config.SMS_PROVIDER}`);
}

/** Builds the real sender on the first send (SDK import, secret read) and keeps it; a failed build is tried again. */
function lazySender(build: () => Promise<SmsSender>): SmsSender {
  let pending: Promise<SmsSender> | undefined;
  return {
    async send(phone, message, options) {
      pending ??= build().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return (await pending).send(phone, message, options);
    },
  };
}

let topic: TopicPublisher | undefined;

/** The `case-events` topic, or the local outbox. */
export function getTopicPublisher(): TopicPublisher {
  if (!topic) {
    const config = getConfig();
    if (config.MESSAGE_TRANSPORT === 'outbox') topic = outboxTopicPublisher(createOutbox(getTable()));
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
