import type { User } from './model.ts';
import type { StoredSession } from './ports.ts';

/** What the session check reads: the account and the session (refresh-token family) of an access token. */
export interface SessionCheckDeps {
  getUser(id: string): Promise<User | undefined>;
  getSession(familyId: string): Promise<StoredSession | undefined>;
  /** Epoch milliseconds. */
  now(): number;
  /** How old a cached account may be: disabling, cancelling and role changes are seen within this. */
  userMaxAgeMs: number;
  /** How old a cached session may be: logout and revocation are seen within this (at most 60 s). */
  sessionMaxAgeMs: number;
}

export type SessionState = { active: true; user: User } | { active: false; reason: 'account-inactive' | 'session-ended' };

/** The claims of a verified access token that name its account and session. */
export interface SessionClaims {
  userId: string;
  sessionId: string;
}

export interface SessionCheck {
  /**
   * Whether the session of an access token is still on: the account exists and is active, and the
   * session (its refresh-token family) exists, belongs to it, is not revoked and is not older than the
   * account's session epoch (raised by disabling, so an old token stays dead after a re-enable). Reads
   * the account and the session at most once per their max age per container, in parallel; an ended
   * session is remembered as ended.
   */
  isSessionActive(claims: SessionClaims): Promise<SessionState>;
  /** This container ended the session (logout): refused here at once, elsewhere within the session max age. */
  endSession(sessionId: string): void;
  /** This container cancelled the account: refused here at once, elsewhere within the account max age. */
  endAccount(userId: string): void;
  /** This container changed the account (roles, disabling): read again on the next request. */
  forgetAccount(userId: string): void;
}

/** Entries a container keeps before it starts over (bounds the memory of a long-lived container). */
const MAX_ENTRIES = 10_000;

/**
 * 会话检查 — one per container (shared/wiring/identity.ts). The per-request cost is two map lookups; a
 * miss costs one GetItem of the account and one of the session, read together. Used by the HTTP auth
 * middleware for every request, and meant for anything else that holds a token (live sockets).
 */
export function createSessionCheck(deps: SessionCheckDeps): SessionCheck {
  const users = new Map<string, { user: User | undefined; at: number }>();
  const sessions = new Map<string, { session: StoredSession | undefined; at: number }>();
  /** Sessions seen or made ended here: they never come back (revocation and epochs only move one way). */
  const ended = new Set<string>();
  const remember = <V>(map: Map<string, V> | Set<string>, key: string, value?: V) => {
    if (map.size >= MAX_ENTRIES) map.clear();
    if (map instanceof Set) map.add(key);
    else map.set(key, value!);
  };

  const userOf = async (id: string) => {
    const hit = users.get(id);
    if (hit && deps.now() - hit.at < deps.userMaxAgeMs) return hit.user;
    const user = await deps.getUser(id);
    remember(users, id, { user, at: deps.now() });
    return user;
  };
  const sessionOf = async (id: string) => {
    const hit = sessions.get(id);
    if (hit && deps.now() - hit.at < deps.sessionMaxAgeMs) return hit.session;
    const session = await deps.getSession(id);
    remember(sessions, id, { session, at: deps.now() });
    return session;
  };

  return {
    async isSessionActive({ userId, sessionId }) {
      if (ended.has(sessionId)) return { active: false, reason: 'session-ended' };
      let [user, session] = await Promise.all([userOf(userId), sessionOf(sessionId)]);
      // A session newer than the cached account (disabled, enabled again, logged in again): the cache is behind.
      if (user && session && session.epoch > (user.sessionEpoch ?? 0)) {
        users.delete(userId);
        user = await userOf(userId);
      }
      if (!user || user.status !== 'active') return { active: false, reason: 'account-inactive' };
      const on =
        session !== undefined &&
        !session.revoked &&
        session.userId === user.id &&
        session.epoch === (user.sessionEpoch ?? 0) &&
        session.expiresAt * 1000 > deps.now();
      if (!on) {
        remember(ended, sessionId);
        sessions.delete(sessionId);
        return { active: false, reason: 'session-ended' };
      }
      return { active: true, user };
    },
    endSession(sessionId) {
      remember(ended, sessionId);
      sessions.delete(sessionId);
    },
    endAccount(userId) {
      remember(users, userId, { user: undefined, at: deps.now() });
    },
    forgetAccount(userId) {
      users.delete(userId);
    },
  };
}
