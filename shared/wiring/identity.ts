import type { JWK } from 'jose';
import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createIdentityStore } from '#shared/data/identity-store';
import { createSessionStore } from '#shared/data/session-store';
import type { IdentityStore, SessionStore } from '#shared/domain/identity/ports';
import { createSessionCheck, type SessionCheck, type SessionClaims, type SessionState } from '#shared/domain/identity/session-check';
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
    verifier = createTokenVerifier(publicJwk, { maxLifetimeSeconds: config.ACCESS_TOKEN_TTL_SECONDS });
  }
  return verifier;
}

let sessionCheck: SessionCheck | undefined;

/**
 * The container's session check: accounts cached up to `AUTH_USER_CACHE_SECONDS`, sessions up to
 * `SESSION_CHECK_SECONDS` (≤ 60: the bound within which logout and revocation reach every container).
 */
export function getSessionCheck(): SessionCheck {
  if (!sessionCheck) {
    const config = getConfig();
    const users = getIdentityStore();
    const families = getSessionStore();
    sessionCheck = createSessionCheck({
      getUser: (id) => users.getUser(id),
      getSession: (id) => families.getSession(id),
      now: () => Date.now(),
      userMaxAgeMs: config.AUTH_USER_CACHE_SECONDS * 1000,
      sessionMaxAgeMs: config.SESSION_CHECK_SECONDS * 1000,
    });
  }
  return sessionCheck;
}

/** Is the session of a verified access token still on? (The HTTP middleware; live sockets re-check with it.) */
export const isSessionActive = (claims: SessionClaims): Promise<SessionState> => getSessionCheck().isSessionActive(claims);

