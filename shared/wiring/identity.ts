import { SNSClient } from '@aws-sdk/client-sns';
import { randomUUID } from 'node:crypto';
import { getConfig } from '#shared/config/index';
import { getDb } from '#shared/data/db';
import { createIdentityStore } from '#shared/data/identity-store';
import type { IdentityDeps } from '#shared/domain/identity/use-cases';
import { createOutbox } from '#shared/adapters/outbox';
import { loadAuthKeys } from '#shared/adapters/secrets';
import { outboxSmsSender, snsSmsSender } from '#shared/adapters/sms';
import { createTokenService } from '#shared/adapters/tokens';

export type AuthRuntime = IdentityDeps & { tokens: ReturnType<typeof createTokenService> };

let pending: Promise<AuthRuntime> | undefined;

/**
 * The identity use cases' adapters, chosen from the configuration and built once per container
 * (module-scope clients; the secret is fetched on the first call only).
 */
export function getAuthRuntime(): Promise<AuthRuntime> {
  pending ??= (async () => {
    const config = getConfig();
    const db = getDb();
    const keys = await loadAuthKeys(config);
    const sms =
      config.MESSAGE_TRANSPORT === 'outbox'
        ? outboxSmsSender(createOutbox(db))
        : snsSmsSender(new SNSClient({ region: config.AWS_REGION }), { senderId: config.SMS_SENDER_ID });
    return {
      store: createIdentityStore(db, { ipHourly: config.SMS_IP_HOURLY_LIMIT }),
      sms,
      tokens: createTokenService(keys.jwtKey, config.ACCESS_TOKEN_TTL_SECONDS),
      pepper: keys.codePepper,
      smsPrefixes: config.SMS_ALLOWED_PREFIXES.split(','),
      now: () => new Date(),
      newId: () => randomUUID(),
    };
  })();
  pending.catch(() => (pending = undefined)); // a failed start (e.g. secret fetch) is retried next call
  return pending;
}
