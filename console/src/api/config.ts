/**
 * Runtime configuration, read once from `config.json` next to `index.html` (the CDK deployment writes it
 * with the API's URL; locally there is none and the API is on the same origin). A base-map tile URL is
 * configuration too: without one the map draws the grids on a blank background (no online tiles).
 */
export interface ConsoleConfig {
  /** The API's origin, e.g. `https://abc.execute-api.ap-east-1.amazonaws.com`; empty: same origin. */
  apiBaseUrl: string;
  /** e.g. a Tianditu or Gaode tile template `https://…/{z}/{x}/{y}.png`; empty: no base layer. */
  tileUrl: string;
  tileAttribution: string;
}

export const config: ConsoleConfig = { apiBaseUrl: '', tileUrl: '', tileAttribution: '' };

export async function loadConfig(): Promise<void> {
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-cache' });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return;
    const loaded = (await response.json()) as Partial<ConsoleConfig>;
    Object.assign(config, {
      apiBaseUrl: typeof loaded.apiBaseUrl === 'string' ? loaded.apiBaseUrl.replace(/\/$/, '') : '',
      tileUrl: typeof loaded.tileUrl === 'string' ? loaded.tileUrl : '',
      tileAttribution: typeof loaded.tileAttribution === 'string' ? loaded.tileAttribution : '',
    });
  } catch {
    // No config.json (local): same-origin API, no tiles.
  }
}
