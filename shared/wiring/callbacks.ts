import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { getConfig } from '#shared/config/index';
import { logger } from '#shared/observability/logger';
import type { CallbackDeps } from '#shared/domain/hotline/callbacks';

let secret: Promise<string> | undefined;

/** Our callback signing secret (`whsec_…`): from the environment locally, Secrets Manager in the cloud. */
function callbackSecret(): Promise<string> {
  secret ??= (async () => {
    const config = getConfig();
    if (config.HOTLINE_CALLBACK_SECRET) return config.HOTLINE_CALLBACK_SECRET;
    if (!config.HOTLINE_CALLBACK_SECRET_ARN) throw new Error('No hotline callback secret configured');
    const client = new SecretsManagerClient({ region: config.AWS_REGION });
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: config.HOTLINE_CALLBACK_SECRET_ARN }));
    if (!SecretString) throw new Error('The hotline callback secret is empty');
    return SecretString.startsWith('whsec_') ? SecretString : `whsec_${SecretString}`;
  })();
  secret.catch(() => (secret = undefined));
  return secret;
}

let deps: CallbackDeps | undefined;

export function getCallbackDeps(): CallbackDeps {
  deps ??= {
    url: getConfig().HOTLINE_CALLBACK_URL,
    secret: callbackSecret,
    async post(url, headers, body) {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      await response.body?.cancel();
      return response.status;
    },
    now: () => new Date(),
  };
  return deps;
}

/** Puts a failed message back on the queue after `seconds` (exponential backoff); a no-op locally, where the platform schedules retries. */
export interface RetryScheduler {
  later(record: { receiptHandle: string }, seconds: number): Promise<void>;
}

let scheduler: RetryScheduler | undefined;

export function getRetryScheduler(): RetryScheduler {
  if (!scheduler) {
    const config = getConfig();
    if (config.MESSAGE_TRANSPORT === 'outbox') scheduler = { later: async () => undefined };
    else {
      const sqs = new SQSClient({ region: config.AWS_REGION });
      const QueueUrl = config.HOTLINE_CALLBACK_QUEUE_URL;
      if (!QueueUrl) logger.warn('HOTLINE_CALLBACK_QUEUE_URL is not set: failed callbacks come back after the queue visibility timeout, without backoff');
      scheduler = {
        async later(record, seconds) {
          // Without the URL the message simply comes back after the queue's visibility timeout.
          if (QueueUrl) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
        },
      };
    }
  }
  return scheduler;
}
