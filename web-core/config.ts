/**
 * Runtime configuration, read once from `config.json` next to `index.html` before the app starts: in the
 * cloud the deployment writes it with the API's URL (the pages are served by CloudFront, the API from
 * its own domain) and the base map's tile server; locally there is none and the API is on the same origin.
 */
export interface WebConfig {
  /** The API's origin, e.g. `https://abc.execute-api.ap-east-1.amazonaws.com`; empty: same origin. */
  apiBaseUrl: string;
  /** e.g. a Tianditu or Gaode tile template `https://…/{z}/{x}/{y}.png`; empty: no base layer. */
  tileUrl: string;
  tileAttribution: string;
}

export async function loadWebConfig(baseUrl: string, into: WebConfig): Promise<WebConfig> {
  try {
    const response = await fetch(`${baseUrl}config.json`, { cache: 'no-cache' });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return into;
    const loaded = (await response.json()) as Partial<Record<keyof WebConfig, unknown>>;
    if (typeof loaded.apiBaseUrl === 'string' && loaded.apiBaseUrl) into.apiBaseUrl = loaded.apiBaseUrl.replace(/\/$/, '');
    if (typeof loaded.tileUrl === 'string') into.tileUrl = loaded.tileUrl;
    if (typeof loaded.tileAttribution === 'string') into.tileAttribution = loaded.tileAttribution;
  } catch {
    // No config.json, or offline: same-origin API (or the build's VITE_API_BASE), no tiles.
  }
  return into;
}
