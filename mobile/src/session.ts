import { ref } from 'vue';
import { writeSharedSession } from './shared-session.ts';

/** The signed-in citizen as `GET /v1/me` and the login routes describe them. */
export interface User {
  id: string;
  phone: string;
  displayName?: string;
  roles: string[];
}

/**
 * What the page keeps in localStorage: the access token (12 h), its expiry, and the refresh token
 * (30 days, rotated on every use; optional only for sessions stored before the API issued them).
 */
export interface Session {
  accessToken: string;
  accessExpiresAt: number;
  refreshToken?: string;
  user: User;
}

const KEY = 'citygrid.m.session';

function read(): Session | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

/** The current session, reactive for the page; other tabs' changes arrive through `storage` events. */
export const session = ref<Session | undefined>(read());

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === KEY) session.value = read();
  });
}

/** Keeps the session for this tab (localStorage, read synchronously at start) and for all tabs (IndexedDB). */
export function saveSession(value: Session): Promise<void> {
  localStorage.setItem(KEY, JSON.stringify(value));
  session.value = value;
  return writeSharedSession(value);
}

export function clearSession(): Promise<void> {
  localStorage.removeItem(KEY);
  session.value = undefined;
  return writeSharedSession(undefined);
}

/** Adopts a session another tab renewed, in this tab only (it is already shared). */
export function adoptSession(value: Session): void {
  localStorage.setItem(KEY, JSON.stringify(value));
  session.value = value;
}

/** Re-reads storage: another tab may have refreshed (or ended) the session meanwhile. */
export function reloadSession(): Session | undefined {
  session.value = read();
  return session.value;
}

/** From a login / register / refresh answer. */
export function sessionFrom(answer: { accessToken: string; expiresIn: number; refreshToken: string; user?: User }, previous?: Session): Session {
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
