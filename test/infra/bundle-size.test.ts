import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLING } from '#infra/constructs/city-function';
import { REPO_ROOT } from '#infra/local/platform';

/**
 * Each function's bundle has a size budget (kB, minified, as deployed): sizes are deterministic where
 * times are not, so a route that quietly pulls the S3 presigner, sharp or the whole of zod back into
 * a function fails here. Raise a budget only with a reason (docs/performance.md has the figures).
 */
// Lowered for the cold start (docs/performance.md) to just above the sizes measured then, so that weight cannot creep
// back unnoticed: the table's own key layer instead of ElectroDB (which with jsonschema was ~220 kB, and
// whose require() of lib-dynamodb pulled in every DynamoDB command) took ~280 kB out of every data function.
// Raised 555 → 565 in the third wave's corrections: the session check on every request, the contact masker in the
// reporter's views, the holder's subtree keys and the camera lookup took the lifecycle functions to 559 kB.
// Raised 565 → 570 by the field app's API: task items, Idempotency-Key on every step, PHOTO_PENDING (566.3 kB measured).
const DATA_FUNCTION_KB = 570; // the DynamoDB client, zod/mini (+ its zh-CN locale), middy, jose, the logger, the message catalogue, our code (lifecycle functions 566 kB measured)
const BUDGETS_KB: Record<string, number> = {
  'functions/system/health.ts': 105, // no table, no token verifier (97 kB measured)
  'functions/system/not-found.ts': 105,
  'functions/system/openapi.ts': 105, // serves the document written at synth: no JSON Schema writer, no route schema (100.2 kB measured; it was 210.9 kB with the generator, budget 212)
  'functions/system/publish-public-key.ts': 310, // Secrets Manager only (299 kB measured)
  'functions/hotline/deliver-callbacks.ts': 410,
  'functions/ops/anchor-audit.ts': 550, // the audit anchor: one GetItem + S3 PutObject, no zod, no HTTP stack (543.8 kB measured) // SQS + Secrets Manager, no table (396 kB measured)
  // + the S3 GET signer (photo views, ~125 kB of S3 client)
  'functions/cases/get-case.ts': 725, // 720.3 kB measured (712 before the staff view's photoChecks and the replay record; 695 before the session check, masking and subtree keys)
  // + the S3 GET signer (media_url, when public photos are on) and fast-xml-parser's XMLBuilder (~20 kB)
  'functions/open311/georeport.ts': 745, // 740.1 kB measured (732 before the replay record and PHOTO_PENDING on its report path) (716 before the contact masker and the per-address read limit)
  'functions/uploads/request-upload.ts': 710, // + the S3 POST signer (700 kB measured with capturedAt/capturedLocation: the location schema, GCJ-02 conversion, zod's ISO time check)
  'functions/uploads/process-upload.ts': 690, // + S3 objects and sharp's JS (its binary ships beside), exif-reader and the hash index (684 kB measured)
};

const entries = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return entries(path);
    return /export (const|async function|function) handler\b/.test(readFileSync(path, 'utf8')) ? [relative(REPO_ROOT, path)] : [];
  });

const bundleKb = async (entry: string) => {
  const result = await build({
    ...BUNDLING,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    sourcemap: false,
    entryPoints: [join(REPO_ROOT, entry)],
    bundle: true,
    platform: 'node',
    write: false,
    outfile: 'index.mjs',
    metafile: true,
    logLevel: 'error',
    // sharp's native binary is installed beside the bundle, never bundled.
    external: ['@img/*'],
  });
  // Only modules that put code in the bundle (esbuild lists tree-shaken imports too, with 0 bytes).
  const modules = Object.entries(Object.values(result.metafile.outputs)[0]!.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path);
  return { kb: result.outputFiles[0]!.contents.byteLength / 1024, modules };
};

describe('function bundle sizes', () => {
  const functions = entries(join(REPO_ROOT, 'functions'));

  it('finds every function of the app', () => {
    expect(functions.length).toBeGreaterThanOrEqual(38);
  });

  it.each(functions)('%s stays within its size budget', async (entry) => {
    const { kb, modules } = await bundleKb(entry);
    expect(kb, `${entry} is ${kb.toFixed(0)} kB`).toBeLessThanOrEqual(BUDGETS_KB[entry] ?? DATA_FUNCTION_KB);
    // Schemas are written with zod/mini (`#shared/validation/zod`); one `import * as z from 'zod'` brings zod's classic API back (~60 kB).
    expect(modules.filter((path) => path.includes('zod/v4/classic/')), entry).toEqual([]);
  });

  it('keeps public functions free of the table and token code, and sharp and the S3 signers where they belong', async () => {
    const modulesOf = async (entry: string) => {
      const result = await build({ ...BUNDLING, mainFields: [...BUNDLING.mainFields], banner: { js: BUNDLING.banner }, sourcemap: false, entryPoints: [join(REPO_ROOT, entry)], bundle: true, platform: 'node', write: false, outfile: 'index.mjs', metafile: true, logLevel: 'error', external: ['@img/*'] });
      // Only modules that put code in the bundle (esbuild lists tree-shaken imports too, with 0 bytes).
      return Object.entries(Object.values(result.metafile.outputs)[0]!.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path).join('\n');
    };
    const health = await modulesOf('functions/system/health.ts');
    expect(health).not.toMatch(/jose|client-dynamodb|shared\/data\//);
    const me = await modulesOf('functions/auth/me.ts');
    expect(me).not.toMatch(/client-s3|s3-presigned-post|s3-request-presigner|sharp|client-sfn|client-sns/);
    // zod imported as a namespace, plus the Chinese locale for field messages: two locales, not fifty.
    expect(me).not.toMatch(/zod\/v4\/locales\/(?!en\.js|zh-CN\.js)/);
    expect(me).toMatch(/zod\/v4\/locales\/zh-CN\.js/);
    const complete = await modulesOf('functions/cases/complete-case.ts');
    expect(complete).not.toMatch(/client-s3|sharp/);
    // The XML writer travels with the Open311 function only (the report use case it shares does not pull it).
    expect(await modulesOf('functions/cases/report-case.ts')).not.toMatch(/fast-xml/);
    expect(await modulesOf('functions/open311/georeport.ts')).toMatch(/fast-xml-builder/);
    const stats = await modulesOf('functions/stats/summary.ts');
    expect(stats).not.toMatch(/client-sfn|client-s3/);
  });

  // A stack with `-c smsProvider=aliyun|tencent` bundles that provider's SDK (define in BUNDLING) — into the
  // functions that reach the SMS port only. Their budget is raised for it: Aliyun's SDK (with its
  // OpenAPI core) is about 1.1 MB minified, Tencent's about 0.5 MB, loaded on the first send only.
  it.each([
    ['aliyun', /@alicloud\/dysmsapi/, 2050],
    ['tencent', /tencentcloud-sdk-nodejs-sms/, 1450],
  ] as const)('puts the %s SDK into the SMS-sending functions only, within their raised budget', async (provider, sdk, budgetKb) => {
    const bundle = async (entry: string) => {
      const result = await build({ ...BUNDLING, define: { 'globalThis.CITYGRID_SMS_BUNDLE': JSON.stringify(provider) }, mainFields: [...BUNDLING.mainFields], banner: { js: BUNDLING.banner }, sourcemap: false, entryPoints: [join(REPO_ROOT, entry)], bundle: true, platform: 'node', write: false, outfile: 'index.mjs', metafile: true, logLevel: 'error', external: ['@img/*'] });
      const modules = Object.entries(Object.values(result.metafile.outputs)[0]!.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path).join('\n');
      return { modules, kb: result.outputFiles[0]!.contents.byteLength / 1024 };
    };
    for (const entry of ['functions/auth/send-code.ts', 'functions/events/process-stream.ts']) {
      const { modules, kb } = await bundle(entry);
      expect(modules, entry).toMatch(sdk);
      expect(kb, `${entry} is ${kb.toFixed(0)} kB`).toBeLessThanOrEqual(budgetKb);
    }
    for (const entry of ['functions/auth/me.ts', 'functions/cases/get-case.ts', 'functions/stats/summary.ts']) expect((await bundle(entry)).modules, entry).not.toMatch(sdk);
  });
});
