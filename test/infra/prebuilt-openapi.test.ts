import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLING, CityFunction } from '#infra/constructs/city-function';
import { REPO_ROOT } from '#infra/local/platform';
import { PREBUILT_OPENAPI_FILE } from '#shared/http/openapi';

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * The deployed OpenAPI function does not build the document at its cold start (every route's schemas:
 * the slowest start of the API): the CDK app writes it beside the bundle at synth, and the function
 * reads it. Locally, with no file beside the source, it builds the document as before.
 */
describe('the OpenAPI document written at synth', () => {
  it('is copied beside a function bundle by CityFunction (real bundling, into the asset folder)', () => {
    const app = new App({ outdir: tempDir('citygrid-files-synth-'), context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Files');
    new CityFunction(stack, 'Health', { entry: 'functions/system/health.ts', repoRoot: REPO_ROOT, logRetention: logs.RetentionDays.ONE_DAY, files: { 'doc.json': '{"marker":1}' } });
    const assembly = app.synth();
    const template = JSON.parse(readFileSync(join(assembly.directory, stack.templateFile), 'utf8')) as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
    const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function')!;
    const asset = join(assembly.directory, fn.Metadata!['aws:asset:path']!);
    expect(existsSync(join(asset, 'index.mjs'))).toBe(true);
    expect(readFileSync(join(asset, 'doc.json'), 'utf8')).toBe('{"marker":1}');
  });

  it('is what the bundled function serves when the file is beside it, without building one', async () => {
    const dir = tempDir('citygrid-openapi-bundle-');
    await build({ ...BUNDLING, mainFields: [...BUNDLING.mainFields], banner: { js: BUNDLING.banner }, sourcemap: false, entryPoints: [join(REPO_ROOT, 'functions/system/openapi.ts')], bundle: true, platform: 'node', outfile: join(dir, 'index.mjs'), logLevel: 'error' });
    writeFileSync(join(dir, PREBUILT_OPENAPI_FILE), JSON.stringify({ openapi: '3.1.0', info: { title: 'written at synth' } }));
    const { handler } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }> };
    const event = { version: '2.0', rawPath: '/v1/openapi.json', headers: {}, requestContext: { http: { method: 'GET', path: '/v1/openapi.json' }, requestId: 'r' } };
    const response = await handler(event, { awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ openapi: '3.1.0', info: { title: 'written at synth' } });
  });
});
