import type { JWK } from 'jose';
import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createIdentityStore } from '#shared/data/identity-store';
import { createSessionStore } from '#shared/data/session-store';
import type { IdentityStore, SessionStore } from '#shared/domain/identity/ports';
import { deriveAuthKeys } from '#shared/adapters/secrets';
import { createTokenVerifier, type TokenVerifier } from '#shared/adapters/tokens';

let store: IdentityStore | undefined;

/** Users and codes on the table (no secret needed). */
export function getIdentityStore(): IdentityStore {
  store ??= createIdentityStore(getTable(), { ipHourly: getConfig().SMS_IP_HOURLY_LIMIT });
  return store;
}

let sessions: SessionStore | undefined;

/** Refresh-token families on the table (logout and account cancellation end them; no secret needed). */
export function getSessionStore(): SessionStore {
  sessions ??= createSessionStore(getTable());
  return sessions;
}

let verifier: TokenVerifier | undefined;

/**
 * The access-token verifier: the public key from `AUTH_PUBLIC_JWK` (set at deploy time), or derived
 * from `AUTH_SECRET` on the local platform, where one process plays every function.
 */
export function getTokenVerifier(): TokenVerifier {
  if (!verifier) {
    const config = getConfig();
    const publicJwk: JWK | undefined = config.AUTH_PUBLIC_JWK ? JSON.parse(config.AUTH_PUBLIC_JWK) : config.AUTH_SECRET ? deriveAuthKeys(config.AUTH_SECRET).publicJwk : undefined;
    if (!publicJwk) throw new Error('Neither AUTH_PUBLIC_JWK nor AUTH_SECRET is set');
    verifier = createTokenVerifier(publicJwk);
  }
  return verifier;
}

