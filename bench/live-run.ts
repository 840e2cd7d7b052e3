/**
 * `npm run bench:live`: the live channel with 20 consoles connected — report → console latency, and a
 * burst of 200 reports counted lost / shown twice at every console (bench/live.ts). The same measurement
 * runs inside `npm run bench`.
 */
import './env.ts';
import { benchLive, printLiveBench } from './live.ts';

const options = {
  consoles: Number(process.env.BENCH_LIVE_CONSOLES ?? 20),
  latencyReports: Number(process.env.BENCH_LIVE_REPORTS ?? 50),
  burst: Number(process.env.BENCH_LIVE_BURST ?? 200),
  concurrency: Number(process.env.BENCH_LIVE_CONCURRENCY ?? 6),
};
printLiveBench(await benchLive({ ...options, log: (line) => console.log(`  ${line}`) }));
