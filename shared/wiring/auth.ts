import { randomUUID } from 'node:crypto';
import { getConfig } from '#shared/config/index';
import { loadAuthKeys } from '#shared/adapters/secrets';
import { createTokenIssuer } from '#shared/adapters/tokens';
import type { IdentityDeps } from '#shared/domain/identity/use-cases';
import { getIdentityStore, getSessionStore } from './identity.ts';
import { getSmsSender } from './messaging.ts';

let pending: Promise<IdentityDeps> | undefined;

/**
 * What the auth functions (sms-codes, register, login, refresh) need, built once per container: the signing
 * key and the code pepper come from the auth secret, which no other function may read.
 */
export function getAuthRuntime(): Promise<IdentityDeps> {
  pending ??= (async () => {
    const config = getConfig();
    const keys = await loadAuthKeys(config);
    return {
      store: getIdentityStore(),
      sessions: getSessionStore(),
      sms: getSmsSender(),
      tokens: createTokenIssuer(keys.signingJwk, config.ACCESS_TOKEN_TTL_SECONDS),
      pepper: keys.codePepper,
      smsPrefixes: config.SMS_ALLOWED_PREFIXES.split(','),
      now: () => new Date(),
      newId: () => randomUUID(),
    };
  })();
  pending.catch(() => (pending = undefined)); // a failed start (e.g. secret fetch) is retried next call
  return pending;
}
