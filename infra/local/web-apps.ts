import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WEB_APPS, webAppHeaders, type WebApp, type WebAppOrigins } from '#infra/web-apps';
import type { StaticMount } from './static.ts';

export { WEB_APPS, type WebApp };

/**
 * Static mounts for the gateway: each app's `dist/`, with the security headers CloudFront sends in the
 * cloud (the Content-Security-Policy naming the local photo bucket, the API being the pages' own origin).
 */
export const webAppMounts = (repoRoot: string, apps = WEB_APPS, origins: WebAppOrigins = {}): StaticMount[] =>
  apps.map((app) => ({ prefix: app.prefix, dir: join(repoRoot, app.folder, 'dist'), headers: webAppHeaders(origins) }));

/** Folders every web app builds from besides its own: the shared session and API client. */
const SHARED_WEB_SOURCES = ['web-core'];

/** Newest modification time of the sources (everything in the folder but `dist/`, web-core/) and the lock file. */
function newestSource(repoRoot: string, folder: string): number {
  let newest = statSync(join(repoRoot, 'package-lock.json')).mtimeMs;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(repoRoot, folder));
  for (const shared of SHARED_WEB_SOURCES) if (existsSync(join(repoRoot, shared))) walk(join(repoRoot, shared));
  return newest;
}

/** Is the app's build missing or older than its sources? */
export function needsBuild(repoRoot: string, app: WebApp): boolean {
  const index = join(repoRoot, app.folder, 'dist', 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newestSource(repoRoot, app.folder);
}

/**
 * Builds the app with Vite when its `dist/` is missing or stale (`npm start`, the browser tests), so a
 * fresh clone serves a working console without a separate build step. Output goes to `log`.
 */
export async function ensureWebAppBuilt(repoRoot: string, app: WebApp, log: (line: string) => void = console.log): Promise<'fresh' | 'built'> {
  if (!needsBuild(repoRoot, app)) return 'fresh';
  log(`Building the ${app.name} (${app.folder}/dist is missing or older than its sources)…`);
  const started = Date.now();
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', app.folder], {
      cwd: repoRoot,
      // A production build whatever the caller runs under (vitest sets NODE_ENV=test, which would give
      // Vue's and Workbox's development builds): the tests serve what `npm start` and the cloud serve.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`vite build of ${app.folder} exited with ${code}`))));
  });
  log(`Built the ${app.name} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 'built';
}
