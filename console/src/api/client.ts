import { config } from './config';
import { clearSession, readStoredSession, saveSession, session } from './session';
import type { RefreshedSession } from './types';

/** An API error in the contract's shape (`{ error: { code, message, details } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called when the session is gone for good (expired with no way to refresh): the app shows the login. */
let onSessionLost: () => void = () => undefined;
export function whenSessionLost(callback: () => void): void {
  onSessionLost = callback;
}

/** Refresh a little before the access token expires, not after a request failed. */
const REFRESH_MARGIN_MS = 60_000;
const LOCK_NAME = 'citygrid-console-refresh';

/**
 * Gets a fresh access token with the refresh token — once for all tabs: a refresh token is single use
 * (a reused one revokes the whole session), so the refresh runs under a Web Lock and a tab that waited
 * for it first looks whether another tab already stored a newer token. A refused refresh (401: expired,
 * revoked or already used) → no token: the caller goes back to the login.
 */
export async function refreshAccessToken(staleToken: string): Promise<string | undefined> {
  // What this tab saw before waiting: if the stored refresh token changed meanwhile, another tab rotated it.
  const seen = readStoredSession()?.refreshToken;
  const run = async (): Promise<string | undefined> => {
    const current = readStoredSession();
    if (!current) return undefined;
    if (current.refreshToken !== seen || current.accessToken !== staleToken) {
      session.value = current;
      return current.accessToken;
    }
    const response = await fetch(`${config.apiBaseUrl}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    }).catch(() => undefined);
    if (!response?.ok) return undefined;
    const body = (await response.json()) as RefreshedSession;
    saveSession({ ...current, accessToken: body.accessToken, expiresAt: Date.now() + body.expiresIn * 1000, refreshToken: body.refreshToken });
    return body.accessToken;
  };
  return 'locks' in navigator && navigator.locks ? navigator.locks.request(LOCK_NAME, run) : run();
}

async function accessToken(): Promise<string | undefined> {
  const current = readStoredSession();
  if (!current) return undefined;
  if (current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return current.accessToken;
  return (await refreshAccessToken(current.accessToken)) ?? (current.expiresAt > Date.now() ? current.accessToken : undefined);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Public routes (login) send no token. */
  auth?: boolean;
}

export function buildUrl(path: string, query: RequestOptions['query'] = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return `${config.apiBaseUrl}${path}${text ? `?${text}` : ''}`;
}

/** Sends a request to the API; a 401 tries one refresh, then ends the session. Errors become {@link ApiError}. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  const text = await response.text();
  const json: unknown = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  if (!response.ok) throw toError(response.status, json);
  return json as T;
}

/** The raw response (CSV downloads), with the same token handling. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const auth = options.auth ?? true;
  const go = (token: string | undefined) =>
    fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers: {
        'accept-language': 'zh-CN',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(auth && token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  const token = auth ? await accessToken() : undefined;
  if (auth && !token) return sessionLost();
  let response = await go(token);
  if (auth && response.status === 401) {
    const refreshed = await refreshAccessToken(token!);
    if (!refreshed) return sessionLost();
    response = await go(refreshed);
    if (response.status === 401) return sessionLost();
  }
  return response;
}

function sessionLost(): never {
  clearSession();
  onSessionLost();
  throw new ApiError(401, 'UNAUTHENTICATED', '登录已过期，请重新登录');
}

function toError(status: number, json: unknown): ApiError {
  const error = (json as { error?: { code?: string; message?: string; details?: Array<{ path: string; message: string }> } } | undefined)?.error;
  return new ApiError(status, error?.code ?? `HTTP_${status}`, error?.message ?? `请求失败（${status}）`, error?.details ?? []);
}
