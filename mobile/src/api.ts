import { readSharedSession } from './shared-session.ts';
import { adoptSession, clearSession, reloadSession, saveSession, session, sessionFrom, type Session } from './session.ts';

/**
 * The page talks only to the public HTTP API (same origin by default; `VITE_API_BASE` at build time
 * when the API has its own domain).
 */
export let API_BASE: string = import.meta.env.VITE_API_BASE ?? '';

/** The base map's tiles from `config.json` (`tileUrl`); empty: the map shows the grids on a blank background. */
export const MAP_TILES = { url: '', attribution: '' };

/**
 * Reads `config.json` next to `index.html` once, before the app starts: in the cloud the deployment
 * writes it with the API's URL (the page is served by CloudFront, the API from its own domain); locally
 * there is none and the API is on the same origin.
 */
export async function loadConfig(): Promise<void> {
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-cache' });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return;
    const loaded = (await response.json()) as { apiBaseUrl?: unknown; tileUrl?: unknown; tileAttribution?: unknown };
    if (typeof loaded.apiBaseUrl === 'string' && loaded.apiBaseUrl) API_BASE = loaded.apiBaseUrl.replace(/\/$/, '');
    if (typeof loaded.tileUrl === 'string') MAP_TILES.url = loaded.tileUrl;
    if (typeof loaded.tileAttribution === 'string') MAP_TILES.attribution = loaded.tileAttribution;
  } catch {
    // No config.json, or offline: same-origin API (or the build's VITE_API_BASE).
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** An error answer of the API: `{ error: { code, message, details } }`, plus `Retry-After` on 429/503. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** No answer at all: offline, DNS, a dropped 4G connection. */
export class OfflineError extends Error {
  constructor() {
    super('offline');
    this.name = 'OfflineError';
  }
}

/** The session is over (expired with no working refresh): the page goes back to the login. */
export class SessionEndedError extends Error {
  constructor() {
    super('session ended');
    this.name = 'SessionEndedError';
  }
}

type Listener = () => void;
const sessionEndedListeners: Listener[] = [];
/** The router subscribes here to show the login when the session ends. */
export function onSessionEnded(listener: Listener): void {
  sessionEndedListeners.push(listener);
}
function endSession(): never {
  void clearSession();
  for (const listener of sessionEndedListeners) listener();
  throw new SessionEndedError();
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(API_BASE + path, init);
  } catch {
    throw new OfflineError();
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; details?: FieldIssue[] } } = {};
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiError(
    response.status,
    body.error?.code ?? `HTTP_${response.status}`,
    body.error?.message ?? response.statusText,
    body.error?.details ?? [],
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/**
 * Exchanges the refresh token for a new access token, once for all tabs: the API rotates refresh tokens
 * and revokes the whole session when an old one is reused, so two tabs must never refresh together.
 * Web Locks serialise the tabs; inside the lock, a session another tab already renewed is adopted —
 * read from IndexedDB, which every tab sees in the same order (shared-session.ts says why not localStorage).
 * Returns the renewed session, or undefined when there is none to be had (no refresh token — a session
 * stored before the API issued them — or the refresh token was refused).
 */
export async function refreshSession(staleAccessToken: string): Promise<Session | undefined> {
  const run = async (): Promise<Session | undefined> => {
    const current = (await readSharedSession()) ?? reloadSession();
    if (!current) return undefined;
    if (current.accessToken !== staleAccessToken && current.accessExpiresAt > Date.now()) {
      adoptSession(current);
      return current;
    }
    if (!current.refreshToken) return undefined;
    const response = await send('/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    });
    if (response.ok) {
      const renewed = sessionFrom(await response.json(), current);
      await saveSession(renewed); // committed before the lock is released
      return renewed;
    }
    // 400/401: the token is malformed, spent or revoked (or the session was ended): log in again.
    if (response.status === 400 || response.status === 401) return undefined;
    throw await toApiError(response);
  };
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request('citygrid-m-refresh', run) : run();
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Public routes (codes, login) send no token. */
  auth?: boolean;
  idempotencyKey?: string;
}

/**
 * One API call: JSON in and out, the bearer token (renewed through the refresh token when it has
 * expired, or when the API answers 401), Chinese messages asked for, errors thrown as
 * ApiError / OfflineError / SessionEndedError. Answers without a body resolve to undefined.
 */
export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const { method = 'GET', body, auth = true, idempotencyKey } = options;
  const headers: Record<string, string> = { 'accept-language': 'zh-CN' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;

  let current = auth ? session.value : undefined;
  if (auth) {
    if (!current) endSession();
    if (current.accessExpiresAt <= Date.now()) current = (await refreshSession(current.accessToken)) ?? endSession();
  }
  const attempt = (token?: string) =>
    send(path, {
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
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A fresh Idempotency-Key (letters, digits and dashes, as the API allows). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
