import { createApiClient, type CallOptions } from '../../../web-core/client.ts';
import { config } from './config';
import { holder } from './session';

export { ApiError, OfflineError, SessionEndedError } from '../../../web-core/errors.ts';

/**
 * The console's API client on the core the three web apps share (web-core/client.ts): the bearer token
 * renewed through the single-use refresh token once for all tabs (Web Lock `citygrid-console-refresh`),
 * Chinese messages asked for, errors thrown as ApiError / OfflineError / SessionEndedError.
 */
const client = createApiClient({ holder, lockName: 'citygrid-console-refresh', apiBase: () => config.apiBaseUrl });

/** Called when the session is gone for good (expired with no way to refresh): the app shows the login. */
export const whenSessionLost = client.onSessionEnded;

export interface RequestOptions extends Omit<CallOptions, 'method'> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
}

export const buildUrl = (path: string, query?: RequestOptions['query']): string => client.url(path, query);

/** Sends a request to the API; a 401 tries one refresh, then ends the session. Errors become ApiError. */
export const request = <T>(path: string, options: RequestOptions = {}): Promise<T> => client.api<T>(path, options);

/** The raw response (CSV downloads), with the same token handling. */
export const send = (path: string, options: RequestOptions = {}): Promise<Response> => client.send(path, options);
