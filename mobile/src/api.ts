import { createApiClient, newIdempotencyKey } from '../../web-core/client.ts';
import { loadWebConfig, type WebConfig } from '../../web-core/config.ts';
import { holder } from './session.ts';

export { ApiError, OfflineError, SessionEndedError } from '../../web-core/errors.ts';
export type { CallOptions } from '../../web-core/client.ts';
export { newIdempotencyKey };

/**
 * The page talks only to the public HTTP API: same origin by default, `VITE_API_BASE` at build time, or
 * `apiBaseUrl` of `config.json` (the deployment writes it); `tileUrl` there is the base map's tiles
 * (empty: the map shows the grids on a blank background).
 */
export const config: WebConfig = { apiBaseUrl: import.meta.env.VITE_API_BASE ?? '', tileUrl: '', tileAttribution: '' };

/** Reads `config.json` next to `index.html` once, before the app starts. */
export async function loadConfig(): Promise<void> {
  await loadWebConfig(import.meta.env.BASE_URL, config);
}

/**
 * The API client shared by the three web apps (web-core/client.ts): JSON in and out, the bearer token
 * renewed through the refresh token once for all tabs (Web Lock `citygrid-m-refresh`), Chinese messages
 * asked for, errors thrown as ApiError / OfflineError / SessionEndedError.
 */
const client = createApiClient({ holder, lockName: 'citygrid-m-refresh', apiBase: () => config.apiBaseUrl });

export const api = client.api;
export const refreshSession = client.refreshSession;
/** The router subscribes here to show the login when the session ends. */
export const onSessionEnded = client.onSessionEnded;
