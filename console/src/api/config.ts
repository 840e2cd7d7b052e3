import { loadWebConfig, type WebConfig } from '../../../web-core/config.ts';

/**
 * Runtime configuration, read once from `config.json` next to `index.html` (web-core/config.ts: the API's
 * URL in the cloud, none locally; a base-map tile URL — without one the map draws the grids on a blank
 * background, no online tiles).
 */
export type ConsoleConfig = WebConfig;

export const config: ConsoleConfig = { apiBaseUrl: '', tileUrl: '', tileAttribution: '' };

export async function loadConfig(): Promise<void> {
  await loadWebConfig(import.meta.env.BASE_URL, config);
}
