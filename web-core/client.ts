import { ApiError, OfflineError, SessionEndedError, toApiError } from './errors.ts';
import { sessionFrom, type Session, type SessionHolder, type User } from './session.ts';

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Query parameters; empty and undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** Public routes (codes, login) send no token. */
  auth?: boolean;
  idempotencyKey?: string;
  /** More request headers (the console's If-Match on versioned admin writes). */
  headers?: Record<string, string>;
}

export interface ApiClientOptions<U extends User> {
  holder: SessionHolder<U>;
  /** The Web Lock every tab of the app refreshes under (`citygrid-m-refresh`, …). */
  lockName: string;
  /** The API's origin ('' = the page's own), read at each call: config.json may set it after start. */
  apiBase: () => string;
}

/**
 * The API client the three web apps (and the field app's service worker) share: JSON in and out, the
 * bearer token renewed through the refresh token — once for all tabs, under a Web Lock — Chinese
 * messages asked for, errors thrown as ApiError / OfflineError / SessionEndedError.
 */
export function createApiClient<U extends User>({ holder, lockName, apiBase }: ApiClientOptions<U>) {
  const endedListeners: Array<() => void> = [];
  function endSession(): never {
    void holder.clear();
    for (const listener of endedListeners) listener();
    throw new SessionEndedError();
  }

  const url = (path: string, query: CallOptions['query'] = {}) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(name, String(value));
    const text = search.toString();
    return `${apiBase()}${path}${text ? `?${text}` : ''}`;
  };

  const transmit = async (target: string, init: RequestInit): Promise<Response> => {
    try {
      return await fetch(target, init);
    } catch {
      throw new OfflineError();
    }
  };

  /**
   * Exchanges the refresh token for a new access token, once for all tabs: the API rotates refresh
   * tokens and revokes the whole session when an old one is reused, so two tabs must never refresh
   * together. Web Locks serialise the tabs; inside the lock, a session another tab already renewed is
   * adopted — read from IndexedDB, which every tab sees in the same order. Returns the renewed session,
   * or undefined when there is none to be had (no refresh token, or it was refused).
   */
  async function refreshSession(staleAccessToken: string): Promise<Session<U> | undefined> {
    const run = async (): Promise<Session<U> | undefined> => {
      const current = (await holder.shared.read()) ?? holder.reload();
      if (!current) return undefined;
      if (current.accessToken !== staleAccessToken && current.accessExpiresAt > Date.now()) {
        holder.adopt(current);
        return current;
      }
      if (!current.refreshToken) return undefined;
      const response = await transmit(url('/v1/auth/refresh'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
      if (response.ok) {
        const renewed = sessionFrom<U>(await response.json(), current);
        await holder.save(renewed); // committed before the lock is released
        return renewed;
      }
      // 400/401: the token is malformed, spent or revoked (or the session was ended): log in again.
      if (response.status === 400 || response.status === 401) return undefined;
      throw await toApiError(response);
    };
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    return locks ? locks.request(lockName, run) : run();
  }

  /** The raw answer (CSV downloads), with the token handling of {@link api}; no error thrown for a 4xx/5xx. */
  async function send(path: string, options: CallOptions = {}): Promise<Response> {
    const { method = 'GET', body, auth = true, idempotencyKey, query } = options;
    const headers: Record<string, string> = { 'accept-language': 'zh-CN', ...options.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;

    let current = auth ? holder.current() : undefined;
    if (auth) {
      if (!current) endSession();
      if (current.accessExpiresAt <= Date.now()) current = (await refreshSession(current.accessToken)) ?? endSession();
    }
    const attempt = (token?: string) =>
      transmit(url(path, query), {
        method,
        headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    let response = await attempt(current?.accessToken);
    if (auth && current && response.status === 401) {
      const renewed = (await refreshSession(current.accessToken)) ?? endSession();
      response = await attempt(renewed.accessToken);
      if (response.status === 401) endSession();
    }
    return response;
  }

  /** One API call: errors thrown as ApiError; answers without a body resolve to undefined. */
  async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
    const response = await send(path, options);
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    api,
    send,
    url,
    refreshSession,
    /** The router subscribes here to show the login when the session ends. */
    onSessionEnded(listener: () => void) {
      endedListeners.push(listener);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** A fresh Idempotency-Key (letters, digits and dashes, as the API allows). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export { ApiError, OfflineError, SessionEndedError };
