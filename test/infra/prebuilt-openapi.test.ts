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
import { prebuiltOpenApiFiles } from '#infra/constructs/api';
import { routeList } from '#shared/contract/index';
import { buildOpenApi } from '#shared/http/openapi';

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
 * reads it, so its bundle carries neither zod's JSON Schema writer nor any route's schema. Run from
 * source (the local platform, the console's type generator) it builds the document from the route table.
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

  it('is what the bundled function serves — the document generated from the schemas — and the bundle carries no generator or route schema', async () => {
    const dir = tempDir('citygrid-openapi-bundle-');
    const result = await build({ ...BUNDLING, mainFields: [...BUNDLING.mainFields], banner: { js: BUNDLING.banner }, sourcemap: false, entryPoints: [join(REPO_ROOT, 'functions/system/openapi.ts')], bundle: true, platform: 'node', outfile: join(dir, 'index.mjs'), metafile: true, logLevel: 'error' });
    const modules = Object.entries(Object.values(result.metafile.outputs)[0]!.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path);
    // The error layer's own texts (common.ts; field-messages.ts, the English of our schemas' messages, which
    // zod-locale.ts puts in Chinese) are not route schemas: every function carries them.
    expect(modules.filter((path) => /shared\/http\/openapi\.ts|shared\/contract\/index\.ts|shared\/schemas\/(?!common\.ts|field-messages\.ts)/.test(path))).toEqual([]);
    // What the API construct writes beside it at synth.
    for (const [name, content] of Object.entries(prebuiltOpenApiFiles())) writeFileSync(join(dir, name), content);
    const { handler } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }> };
    const event = { version: '2.0', rawPath: '/v1/openapi.json', headers: {}, requestContext: { http: { method: 'GET', path: '/v1/openapi.json' }, requestId: 'r' } };
    const response = await handler(event, { awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual(JSON.parse(JSON.stringify(buildOpenApi(routeList(), { deployed: true }))));
  });

  it('is built from the route table when the function runs from source (local platform, console types)', async () => {
    const { getOpenApi } = await import('#functions/system/openapi');
    expect((await getOpenApi()).body).toEqual(buildOpenApi(routeList(), { deployed: true }));
  });
});
