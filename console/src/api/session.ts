import { ref } from 'vue';
import type { Session, User } from './types';

/** What this browser keeps of a login (shared by its tabs through localStorage). */
export interface StoredSession {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Single use: every refresh replaces it (`POST /v1/auth/refresh`). */
  refreshToken: string;
  user: User;
}

const KEY = 'citygrid.console.session';

function read(): StoredSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as StoredSession) : null;
    return parsed && typeof parsed.accessToken === 'string' && typeof parsed.refreshToken === 'string' && parsed.user ? parsed : null;
  } catch {
    return null;
  }
}

/** The current session, reactive; another tab's login, refresh or logout shows up here too. */
export const session = ref<StoredSession | null>(read());

window.addEventListener('storage', (event) => {
  if (event.key === KEY) session.value = read();
});

export function readStoredSession(): StoredSession | null {
  return read();
}

export function saveSession(value: StoredSession): void {
  localStorage.setItem(KEY, JSON.stringify(value));
  session.value = value;
}

export function sessionFromLogin(body: Session): StoredSession {
  return {
    accessToken: body.accessToken,
    expiresAt: Date.now() + body.expiresIn * 1000,
    refreshToken: body.refreshToken,
    user: body.user,
  };
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
  session.value = null;
}
