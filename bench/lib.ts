import autocannon from 'autocannon';

export interface Measurement {
  name: string;
  requests: number;
  reqPerSec: number;
  /** Mean latency; for HTTP derived as connections / throughput (autocannon's percentiles are whole ms). */
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** Load over HTTP on loopback with autocannon: bounded by duration, stops by itself. */
export async function loadHttp(name: string, url: string, options: { seconds: number; connections: number; method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> }): Promise<Measurement> {
  const result = await autocannon({
    url,
    duration: options.seconds,
    connections: options.connections,
    method: options.method ?? 'GET',
    ...(options.body ? { body: options.body } : {}),
    headers: { 'content-type': 'application/json', ...options.headers },
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  const reqPerSec = result.requests.total / options.seconds;
  return { name, requests: result.requests.total, reqPerSec, meanMs: (1000 * options.connections) / reqPerSec, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}

/** Calls `fn` back to back (concurrency 1) for `seconds`, timing each call. */
export async function loadInProcess(name: string, fn: () => Promise<unknown>, seconds: number): Promise<Measurement> {
  for (let i = 0; i < 200; i++) await fn(); // warm-up: JIT and module caches, as a warm Lambda
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    const t = performance.now();
    await fn();
    latencies.push(performance.now() - t);
  }
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const meanMs = latencies.reduce((a, b) => a + b, 0) / latencies.length;
  return { name, requests: latencies.length, reqPerSec: latencies.length / elapsed, meanMs, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/**
 * Runs `step` once per input, one after another (a single client), timing only `step`; `after` (e.g.
 * reading the code from the outbox) runs untimed between steps.
 */
export async function loadHttpSequence<T>(name: string, inputs: T[], step: (input: T) => Promise<void>, after?: (input: T) => Promise<unknown>): Promise<Measurement> {
  const latencies: number[] = [];
  let busy = 0;
  for (const input of inputs) {
    const t = performance.now();
    await step(input);
    const took = performance.now() - t;
    latencies.push(took);
    busy += took;
    if (after) await after(input);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { name, requests: latencies.length, reqPerSec: (1000 * latencies.length) / busy, meanMs: busy / latencies.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}

const fmt = (ms: number) => (ms < 0.01 ? ms.toFixed(5) : ms.toFixed(3));

/** Prints measurements as a fixed-width table. */
export function printTable(title: string, rows: Measurement[]): void {
  console.log(`\n${title}`);
  const header = ['case', 'requests', 'req/s', 'mean ms', 'p50 ms', 'p99 ms'];
  const lines = rows.map((r) => [r.name, String(r.requests), r.reqPerSec.toFixed(0), fmt(r.meanMs), fmt(r.p50Ms), fmt(r.p99Ms)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  console.log(row(header));
  console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const l of lines) console.log(row(l));
}
