import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The citizens' H5 page (Vue 3 + Vant, built by Vite) and the folder the gateway serves at `/m/`. */
export const MOBILE_DIR = 'mobile';

/** Newest modification time of the page's sources (and the lockfile, which pins its libraries). */
function newestSource(repoRoot: string): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const part of ['src', 'public', 'index.html', 'vite.config.ts']) visit(join(repoRoot, MOBILE_DIR, part));
  visit(join(repoRoot, 'package-lock.json'));
  return newest;
}

/** True when `mobile/dist` is missing or older than a source file. */
export function mobileBuildIsStale(repoRoot: string): boolean {
  const built = statSync(join(repoRoot, MOBILE_DIR, 'dist', 'index.html'), { throwIfNoEntry: false });
  return !built || built.mtimeMs < newestSource(repoRoot);
}

/** Builds the page with Vite's API (the same config as `npm run build:mobile`). */
export async function buildMobile(repoRoot: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(repoRoot, MOBILE_DIR, 'vite.config.ts'), logLevel: 'warn' });
}

/** `npm start`: build the page only when it is missing or stale (a build takes a few seconds). */
export async function ensureMobileBuilt(repoRoot: string, log: (line: string) => void): Promise<'built' | 'up to date'> {
  if (!mobileBuildIsStale(repoRoot)) return 'up to date';
  log('Building the mobile page (mobile/dist is missing or older than its sources)…');
  await buildMobile(repoRoot);
  return 'built';
}
