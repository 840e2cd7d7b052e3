/** A web app of this repository: its source folder, built by Vite into `dist/`, served under a prefix. */
export interface WebApp {
  name: string;
  /** URL prefix with both slashes, e.g. `/console/` (also the app's Vite `base`). */
  prefix: string;
  /** Source folder relative to the repository root (holds `vite.config.ts`). */
  folder: string;
}

/**
 * The web apps CityGrid serves: locally through the gateway's static mounts, in the cloud from one
 * private bucket behind CloudFront (each app under its prefix).
 */
export const WEB_APPS: WebApp[] = [
  { name: 'console', prefix: '/console/', folder: 'console' },
  { name: 'mobile', prefix: '/m/', folder: 'mobile' },
  { name: 'field', prefix: '/field/', folder: 'field' },
];

/** What a web app's pages may reach besides their own origin: the deployment's configuration. */
export interface WebAppOrigins {
  /**
   * The API's URL (`https://abc.execute-api.…/` or a custom domain); empty or absent: the API is on the
   * pages' own origin (locally). Its `wss:`/`ws:` twin is allowed for the live channel.
   */
  apiUrl?: string | undefined;
  /** The live channel's WebSocket (`wss://…/live`, its own API Gateway host in the cloud); absent: the API's twin or the pages' origin. */
  socketUrl?: string | undefined;
  /** Where photos are uploaded to and shown from: the photo bucket's origin (`https://bucket.s3.region.amazonaws.com`, locally s3rver). */
  photoOrigin?: string | undefined;
  /** The base map's tile template (`https://webrd0{s}.is.autonavi.com/appmaptile?…`); absent: no tiles. */
  tileUrl?: string | undefined;
}

/**
 * `scheme://host[:port]` of a URL, by text only: in the CDK the host is a token (`${Token[…]}`), which no
 * URL parser takes. A tile template's `{s}` subdomain becomes the one wildcard CSP allows (`*.` first).
 */
function originOf(url: string, what: string): string {
  const found = /^(https?|wss?):\/\/([^/?#]+)/i.exec(url.trim());
  if (!found) throw new Error(`${what} must be an absolute http(s) URL, got "${url}"`);
  const host = found[2]!.replace(/^[^.]*\{[a-z]+\}[^.]*\./, '*.');
  if (/\{[a-z]+\}/.test(host)) throw new Error(`${what}: only the first part of the host may be a {placeholder}, got "${url}"`);
  if (/[\s;,'"]/.test(host)) throw new Error(`${what} has characters a Content-Security-Policy cannot carry: "${url}"`);
  return `${found[1]!.toLowerCase()}://${host}`;
}

/**
 * The Content-Security-Policy every web app is served with, locally (infra/local/static.ts) and by
 * CloudFront (infra/constructs/web-hosting.ts): one function, so the two cannot drift. It allows what the
 * apps need and nothing more (docs/decisions.md explains each source):
 * - scripts and style sheets only from the apps' own files (no inline scripts, no `eval`);
 * - inline `style="…"` attributes (`style-src 'unsafe-inline'`), but `<style>` elements and style sheets
 *   only from the apps' files (`style-src-elem 'self'`): Vue writes large static parts of a template as
 *   HTML (style attributes included) and ECharts writes its tooltips as HTML with `style="…"`, which
 *   `style-src 'self'` would strip; browsers too old for `style-src-elem` fall back to `style-src`;
 * - calls (`connect-src`) to the API and its WebSocket twin, the live channel's WebSocket and the photo
 *   bucket (presigned uploads);
 * - images from the bucket (signed photo URLs), the tile server, `blob:` (previews of picked photos) and
 *   `data:` (small icons Vite inlines);
 * - fonts from the apps and `data:` (Vant inlines its icon font);
 * - a service worker from the apps' origin only; no plugins, no framing (`frame-ancestors 'none'`), forms
 *   post nowhere else, `<base>` cannot move the apps.
 */
export function contentSecurityPolicy(origins: WebAppOrigins = {}, delivery: 'header' | 'meta' = 'header'): string {
  const api = origins.apiUrl?.trim() ? originOf(origins.apiUrl, 'The API URL') : undefined;
  const socket = api?.replace(/^http/, 'ws');
  const liveSocket = origins.socketUrl?.trim() ? originOf(origins.socketUrl, 'The live socket URL') : undefined;
  const photos = origins.photoOrigin?.trim() ? originOf(origins.photoOrigin, 'The photo origin') : undefined;
  const tiles = origins.tileUrl?.trim() ? originOf(origins.tileUrl, 'The tile URL') : undefined;
  const list = (...sources: Array<string | undefined>) => [...new Set(sources.filter((s): s is string => !!s))].join(' ');
  return [
    `default-src 'self'`,
    `script-src 'self'`,
    `style-src 'self' 'unsafe-inline'`,
    `style-src-elem 'self'`,
    `img-src ${list("'self'", 'data:', 'blob:', photos, tiles)}`,
    `font-src 'self' data:`,
    `connect-src ${list("'self'", api, socket, liveSocket, photos)}`,
    `worker-src 'self'`,
    `manifest-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    // A <meta> policy cannot forbid framing (browsers ignore the directive there and say so in the console).
    ...(delivery === 'header' ? [`frame-ancestors 'none'`] : []),
  ].join('; ');
}

/**
 * The security headers of every web app response, as the local gateway sends them; CloudFront sends the
 * same through its response-headers policy (plus HSTS, which means nothing over local http).
 */
export function webAppHeaders(origins: WebAppOrigins = {}): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(origins),
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'x-content-type-options': 'nosniff',
  };
}
