import { ref, type Ref } from 'vue';
import { sharedSessionStore, type SharedSessionStore } from './shared-session.ts';

/** The signed-in person as `GET /v1/me` and the login routes describe them. */
export interface User {
  id: string;
  phone: string;
  displayName?: string;
  roles: string[];
  departmentId?: string;
}

/**
 * What an app keeps of a login: the access token (12 h), its expiry (epoch ms, a minute early), and the
 * refresh token (30 days, rotated on every use; optional only for sessions stored before the API issued them).
 */
export interface Session<U extends User = User> {
  accessToken: string;
  accessExpiresAt: number;
  refreshToken?: string;
  user: U;
}

/**
 * Where a session lives for the API client: `current()` for this tab (or worker), `shared` for every tab
 * in the order they wrote it (the refresh reads it under the Web Lock).
 */
export interface SessionHolder<U extends User = User> {
  current(): Session<U> | undefined;
  /** Keeps a new session for this tab and all tabs; resolves once all tabs can read it. */
  save(value: Session<U>): Promise<void>;
  clear(): Promise<void>;
  /** Takes a session another tab renewed, in this tab only (it is already shared). */
  adopt(value: Session<U>): void;
  /** Re-reads this tab's storage (another tab may have refreshed or ended the session). */
  reload(): Session<U> | undefined;
  shared: SharedSessionStore<Session<U>>;
}

export interface BrowserSession<U extends User = User> extends SessionHolder<U> {
  /** The session, reactive for the pages; other tabs' changes arrive through `storage` events. */
  session: Ref<Session<U> | undefined>;
}

export interface BrowserSessionOptions {
  /**
   * The name of the access token's expiry in localStorage: the console has always stored `expiresAt`
   * (kept so that a browser logged in before the apps shared this module stays logged in).
   */
  expiryKey?: 'accessExpiresAt' | 'expiresAt';
}

/**
 * A page's session: localStorage under `storageKey` (read synchronously at start, so the first screen
 * knows whether someone is logged in) and IndexedDB `dbName` for all tabs (shared-session.ts says why).
 */
export function browserSession<U extends User = User>(storageKey: string, dbName: string, options: BrowserSessionOptions = {}): BrowserSession<U> {
  const expiryKey = options.expiryKey ?? 'accessExpiresAt';
  const read = (): Session<U> | undefined => {
    try {
      const raw = localStorage.getItem(storageKey);
      const parsed = raw ? (JSON.parse(raw) as Session<U> & { expiresAt?: number }) : undefined;
      if (!parsed || typeof parsed.accessToken !== 'string' || !parsed.user) return undefined;
      if (expiryKey === 'accessExpiresAt') return parsed;
      const { expiresAt, ...rest } = parsed;
      return { ...rest, accessExpiresAt: Number(expiresAt ?? parsed.accessExpiresAt ?? 0) };
    } catch {
      return undefined;
    }
  };
  const serialise = (value: Session<U>): string => {
    if (expiryKey === 'accessExpiresAt') return JSON.stringify(value);
    const { accessExpiresAt, ...rest } = value;
    return JSON.stringify({ ...rest, expiresAt: accessExpiresAt });
  };
  const session = ref(read()) as Ref<Session<U> | undefined>;
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (event) => {
      if (event.key === storageKey) session.value = read();
    });
  }
  const shared = sharedSessionStore<Session<U>>(dbName);
  const keep = (value: Session<U>) => {
    localStorage.setItem(storageKey, serialise(value));
    session.value = value;
  };
  return {
    session,
    shared,
    current: () => session.value,
    save(value) {
      keep(value);
      return shared.write(value);
    },
    clear() {
      localStorage.removeItem(storageKey);
      session.value = undefined;
      return shared.write(undefined);
    },
    adopt: keep,
    reload() {
      session.value = read();
      return session.value;
    },
  };
}

/** From a login / register / refresh answer. */
export function sessionFrom<U extends User>(answer: { accessToken: string; expiresIn: number; refreshToken: string; user?: U }, previous?: Session<U>): Session<U> {
  const user = answer.user ?? previous?.user;
  if (!user) throw new Error('No user in the session answer');
  return {
    accessToken: answer.accessToken,
    // A minute early, so that a request never leaves with a token about to expire.
    accessExpiresAt: Date.now() + Math.max(0, answer.expiresIn - 60) * 1000,
    refreshToken: answer.refreshToken,
    user,
  };
}

