import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticMount } from '#infra/local/static';
import { webAppHeaders } from '#infra/web-apps';

let root: string;
const BIG_SCRIPT = 'export const words = [' + Array.from({ length: 400 }, (_, i) => `"word${i}"`).join(',') + '];\n';
let server: Server;
let port: number;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'citygrid-static-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'vendor-def456.js'), BIG_SCRIPT);
  writeFileSync(join(dist, 'assets', 'photo-1.png'), Buffer.alloc(4000, 7));
  writeFileSync(join(root, 'secret.txt'), 'not for the web');
  const serve = createStaticMount({ prefix: '/console/', dir: dist, headers: webAppHeaders({ photoOrigin: 'http://127.0.0.1:4569' }) });
  server = createServer((req, res) => {
    void serve(req.method ?? 'GET', new URL(req.url ?? '/', 'http://x').pathname, res, req.headers['accept-encoding']).then((handled) => {
      if (!handled) res.writeHead(404).end('api');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(root, { recursive: true, force: true });
});

/** A raw request: the path goes out exactly as written (fetch would normalise `..`). */
const get = (path: string, method = 'GET', headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; bytes: Buffer }>((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        done({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
    });
    req.on('error', fail);
    req.end();
  });

describe('the static mount the gateway serves the web apps with', () => {
  it('serves files with their content type, hashed assets cached for good, index.html never cached', async () => {
    const asset = await get('/console/assets/index-abc123.js');
    expect(asset).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    const index = await get('/console/');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
  });

  it('sends the Content-Security-Policy and the other security headers with the page and its files', async () => {
    for (const path of ['/console/', '/console/cases/8d6f', '/console/assets/index-abc123.js']) {
      const { headers } = await get(path);
      expect(headers['content-security-policy']).toContain("default-src 'self'");
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['content-security-policy']).toContain("connect-src 'self' http://127.0.0.1:4569");
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    }
  });

  it('answers index.html for client-side routes and redirects the bare prefix', async () => {
    expect((await get('/console/cases/8d6f')).body).toContain('<title>app</title>');
    const bare = await get('/console');
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe('/console/');
  });

  it('never serves a file outside its folder', async () => {
    for (const path of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/assets/..%2f..%2fsecret.txt', '/console/%00']) {
      const response = await get(path);
      expect(response.body).not.toContain('not for the web');
    }
  });

  it('gzips text files of 1,000 bytes or more for a browser that accepts it, as CloudFront does', async () => {
    const zipped = await get('/console/assets/vendor-def456.js', 'GET', { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(Number(zipped.headers['content-length'])).toBe(zipped.bytes.length);
    expect(zipped.bytes.length).toBeLessThan(BIG_SCRIPT.length / 2);
    expect(gunzipSync(zipped.bytes).toString('utf8')).toBe(BIG_SCRIPT);
    // Without Accept-Encoding, small files and images: as they are.
    const plain = await get('/console/assets/vendor-def456.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(BIG_SCRIPT);
    expect((await get('/console/assets/index-abc123.js', 'GET', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBeUndefined();
    expect((await get('/console/assets/photo-1.png', 'GET', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBeUndefined();
  });

  it('leaves other paths to the API and refuses writes', async () => {
    expect((await get('/v1/health')).body).toBe('api');
    expect((await get('/consoles/x')).body).toBe('api');
    expect((await get('/console/', 'POST')).status).toBe(405);
  });
});
