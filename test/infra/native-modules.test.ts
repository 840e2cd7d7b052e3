import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARP_LINUX_ARM64 } from '#infra/constructs/city-function';
import { REPO_ROOT } from '#infra/local/platform';

const json = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Record<string, unknown>;
const installed = (name: string) => json(join(SHARP_LINUX_ARM64.folder, 'node_modules', name, 'package.json'));

/**
 * The upload processor's sharp is copied at synth time from what `npm ci` installed (no download, so the
 * synth works with no network): it must be there, built for the Lambda (linux arm64, glibc), and the
 * same sharp version the tests exercise on this machine.
 */
describe('sharp for the Lambda', () => {
  it('is installed by npm ci for linux-arm64 with its libvips', () => {
    const binary = installed('@img/sharp-linux-arm64');
    expect(binary.os).toEqual(['linux']);
    expect(binary.cpu).toEqual(['arm64']);
    expect(binary.libc).toEqual(['glibc']);
    expect(installed('@img/sharp-libvips-linux-arm64').cpu).toEqual(['arm64']);
  });

  it('is the sharp version of the root lockfile, so the Lambda runs what the tests ran', () => {
    const root = json('package-lock.json') as { packages: Record<string, { version: string }> };
    const native = json(join(SHARP_LINUX_ARM64.folder, 'package-lock.json')) as { packages: Record<string, { version: string }> };
    expect(installed('sharp').version).toBe(root.packages['node_modules/sharp']!.version);
    expect(native.packages['node_modules/@img/sharp-linux-arm64']!.version).toBe(root.packages['node_modules/@img/sharp-linux-arm64']!.version);
    expect(native.packages['node_modules/@img/sharp-libvips-linux-arm64']!.version).toBe(root.packages['node_modules/@img/sharp-libvips-linux-arm64']!.version);
  });
});
