import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

/**
 * Serves one built single-page app under a path prefix (`/m/` → `mobile/dist`), as CloudFront does in
 * the cloud: files with their content types, hashed assets cached for a year, `index.html` for any other
 * path under the prefix (client-side routes), and nothing outside the folder.
 * Returns true when it answered the request.
 */
export type StaticMount = (req: IncomingMessage, res: ServerResponse) => boolean;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' };

/** A mount for `prefix` (with trailing slash, e.g. `/m/`) serving the files of `dir`. */
export function staticMount(prefix: string, dir: string): StaticMount {
  const root = resolve(dir);
  const bare = prefix.replace(/\/$/, '');
  return (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const pathname = (req.url ?? '/').split('?')[0]!;
    if (pathname === bare) {
      res.writeHead(308, { location: prefix, ...COMMON_HEADERS }).end();
      return true;
    }
    if (!pathname.startsWith(prefix)) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...COMMON_HEADERS }).end();
      return true;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(prefix.length));
    } catch {
      return notFound(res), true;
    }
    const file = resolve(root, '.' + sep + relative);
    // `..`, encoded slashes or NUL bytes must never leave the folder.
    if (relative.includes('\0') || (file !== root && !file.startsWith(root + sep))) return notFound(res), true;
    const found = isFile(file);
    if (found) return send(req, res, file, found, relative.startsWith('assets/')), true;
    // A missing file with an extension is a missing file; anything else is a client-side route.
    if (extname(relative) !== '') return notFound(res), true;
    const index = resolve(root, 'index.html');
    const indexSize = isFile(index);
    if (!indexSize) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...COMMON_HEADERS });
      res.end(`${prefix} is not built yet: run npm run build:mobile (npm start builds it)\n`);
      return true;
    }
    return send(req, res, index, indexSize, false), true;
  };
}

function isFile(path: string): number | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

function send(req: IncomingMessage, res: ServerResponse, file: string, size: number, immutable: boolean) {
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(size),
    // Vite names assets by content hash; index.html must always be revalidated to pick up a new build.
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...COMMON_HEADERS,
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...COMMON_HEADERS });
  res.end('Not found\n');
}
