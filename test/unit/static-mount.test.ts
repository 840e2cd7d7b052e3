import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticMount } from '#infra/local/static';

let root: string;
let server: Server;
let base: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'citygrid-static-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>m</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'outside the folder');
  const mounts = [staticMount('/m/', dist), staticMount('/empty/', join(root, 'not-built'))];
  server = createServer((req, res) => {
    if (!mounts.some((mount) => mount(req, res))) res.writeHead(418).end('api');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(root, { recursive: true, force: true });
});

/** A raw request: fetch would normalise `..` in the path before sending it. */
const raw = (path: string, method = 'GET') =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(`${base}${path}`, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });

describe('the static mount that serves a built page under a prefix (/m/)', () => {
  it('serves files with their content types, hashed assets cached for a year and index.html revalidated', async () => {
    const js = await raw('/m/assets/index-abc123.js');
    expect(js).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect((await raw('/m/assets/index-abc123.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const index = await raw('/m/');
    expect(index).toMatchObject({ status: 200, body: '<!doctype html><title>m</title>' });
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
  });

  it('answers client-side routes with index.html, but a missing asset with 404', async () => {
    for (const path of ['/m/report', '/m/cases/0b7c2c1e-1111-4222-8333-444455556666', '/m/login?next=%2Fcases']) {
      const page = await raw(path);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>m</title>');
    }
    expect((await raw('/m/assets/missing-123.js')).status).toBe(404);
  });

  it('never serves a file outside its folder, however the path is spelled', async () => {
    for (const path of ['/m/../secret.txt', '/m/..%2fsecret.txt', '/m/%2e%2e/secret.txt', '/m/assets/..%2f..%2fsecret.txt', '/m/%2e%2e%2f%2e%2e%2fpackage.json', '/m/%00', '/m/%E0%A4%A']) {
      const answer = await raw(path);
      expect(answer.body, path).not.toContain('outside the folder');
      expect([404, 418], path).toContain(answer.status); // 418: `/m/../` is not under the prefix at all
    }
  });

  it('redirects the bare prefix, refuses writes, answers HEAD without a body, and leaves other paths alone', async () => {
    const bare = await raw('/m');
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe('/m/');
    expect((await raw('/m/', 'POST')).status).toBe(405);
    const head = await raw('/m/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await raw('/v1/health')).status).toBe(418);
    expect((await raw('/mobile/')).status).toBe(418);
  });

  it('says how to build the page when its folder has no build yet', async () => {
    const missing = await raw('/empty/report');
    expect(missing.status).toBe(503);
    expect(missing.body).toContain('npm run build:mobile');
  });
});
