import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

/** The content types a Vite build emits; anything else is served as bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
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
  '.map': 'application/json; charset=utf-8',
};

const gzip = promisify(gzipCallback);

/** Text worth compressing (CloudFront compresses these types for a browser that accepts gzip or br). */
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg\+xml)/;
/** CloudFront compresses files from 1,000 bytes up. */
const MIN_COMPRESSED_SIZE = 1000;

/** Gzipped files by path, size and modification time: each built file is compressed once. */
const gzipped = new Map<string, Promise<Buffer>>();
function gzippedFile(target: { path: string; size: number; mtimeMs: number }): Promise<Buffer> {
  const key = `${target.path}|${target.size}|${target.mtimeMs}`;
  let found = gzipped.get(key);
  if (!found) {
    found = readFile(target.path).then((bytes) => gzip(bytes, { level: 6 }));
    found.catch(() => gzipped.delete(key));
    gzipped.set(key, found);
  }
  return found;
}

/** A single-page app's built files under a URL prefix (the console at `/console/`, the H5 page at `/m/`). */
export interface StaticMount {
  /** URL prefix with both slashes, e.g. `/console/`. */
  prefix: string;
  /** The build output folder (holds `index.html`). */
  dir: string;
  /** Sent with every answer below the prefix: the Content-Security-Policy and the other security headers. */
  headers?: Record<string, string>;
}

/**
 * Serves a built single-page app the way S3 + CloudFront do in the cloud: files by path, hashed assets
 * cached for a year, `index.html` never cached and answered for any other path below the prefix (the
 * SPA's router takes it from there). Text files of 1,000 bytes or more go gzipped to a browser that
 * accepts it, as CloudFront's automatic compression does (Lighthouse and the first-load figures measure
 * what a phone downloads). Returns false when the request is not below the prefix, so the gateway goes
 * on to route it. Paths are resolved inside `dir` only (no `..` traversal).
 */
export function createStaticMount(mount: StaticMount) {
  const root = resolve(mount.dir);
  const bare = mount.prefix.replace(/\/$/, '');
  return async function serve(method: string, pathname: string, res: ServerResponse, acceptEncoding?: string | string[]): Promise<boolean> {
    if (pathname !== bare && !pathname.startsWith(mount.prefix)) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed');
      return true;
    }
    if (pathname === bare) {
      res.writeHead(308, { location: mount.prefix });
      res.end();
      return true;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(pathname.slice(mount.prefix.length));
    } catch {
      relative = '';
    }
    const candidate = resolve(root, '.' + sep + relative);
    const inside = candidate === root || candidate.startsWith(root + sep);
    const file = inside && relative && !relative.includes('\0') ? await fileAt(candidate) : undefined;
    const target = file ?? (await fileAt(join(root, 'index.html')));
    if (!target) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Not built: run "npm run build" for ${mount.prefix} (${root} has no index.html)`);
      return true;
    }
    const isIndex = target.path.endsWith(`${sep}index.html`) || !file;
    const contentType = CONTENT_TYPES[extname(target.path).toLowerCase()] ?? 'application/octet-stream';
    const compressible = COMPRESSIBLE.test(contentType) && target.size >= MIN_COMPRESSED_SIZE;
    const accepted = [acceptEncoding ?? ''].flat().join(',');
    const body = compressible && /\bgzip\b/.test(accepted) ? await gzippedFile(target) : undefined;
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': String(body ? body.length : target.size),
      ...(compressible ? { vary: 'accept-encoding' } : {}),
      ...(body ? { 'content-encoding': 'gzip' } : {}),
      'cache-control': isIndex ? 'no-cache' : relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      'x-content-type-options': 'nosniff',
      ...mount.headers,
    });
    if (method === 'HEAD') {
      res.end();
      return true;
    }
    if (body) {
      res.end(body);
      return true;
    }
    await new Promise<void>((done, fail) => {
      const stream = createReadStream(target.path);
      stream.on('error', fail);
      res.on('close', () => done());
      stream.pipe(res);
    });
    return true;
  };
}

async function fileAt(path: string): Promise<{ path: string; size: number; mtimeMs: number } | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}
