import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '#infra/cli/main';
import { LOCK_FILE } from '#infra/local/data-lock';
import { freePort } from '#infra/local/ports';
import { startPlatform } from '#infra/local/platform';

// Its own file: the platform sets the handlers' environment for its process.
describe('the city CLI on the data folder of a running npm start', () => {
  it("uses npm start's DynamoDB Local (its port from the folder's lock), whatever DYNAMODB_PORT says, and never starts a second one", { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'citygrid-live-'));
    const saved = { dir: process.env.CITYGRID_DATA_DIR, port: process.env.DYNAMODB_PORT };
    const platform = await startPlatform({ port: 0, dataDir, dynamoPort: await freePort(), s3Port: await freePort(), staticMounts: [] });
    try {
      const lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'));
      expect(lock).toMatchObject({ owner: 'npm start', pid: process.pid, dynamoPort: Number(new URL(platform.dynamoEndpoint).port), dynamoPid: expect.any(Number), url: platform.url });

      // The CLI as an operator runs it: npm start's folder, but not its DYNAMODB_PORT (nothing answers on this one).
      process.env.CITYGRID_DATA_DIR = dataDir;
      process.env.DYNAMODB_PORT = String(await freePort());
      const out = join(dataDir, 'export');
      const lines: string[] = [];
      expect(await run(['export', out], (l) => lines.push(l))).toBe(0);
      expect(lines[0]).toBe(`Target: local table citygrid-local (the running npm start's DynamoDB Local on ${platform.dynamoEndpoint}, data folder ${dataDir})`);
      // The demo city npm start loaded: read through its engine, not a second one on the same file.
      expect(JSON.parse(readFileSync(join(out, 'departments.json'), 'utf8')).map((d: { id: string }) => d.id)).toContain('city-bureau');
      expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).toBe(JSON.stringify(lock)); // still npm start's
    } finally {
      for (const [name, value] of [['CITYGRID_DATA_DIR', saved.dir], ['DYNAMODB_PORT', saved.port]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await platform.stop();
    }
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false); // released on stop
    rmSync(dataDir, { recursive: true, force: true });
  });
});
