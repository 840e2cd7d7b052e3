/**
 * `npm run bench:field`: 城管通's first load, its repeat open offline, a queued action's delivery, and
 * Lighthouse for /field/ and /m/ (bench/field.ts). The same measurement runs inside `npm run bench`.
 * BENCH_FIELD_DELIVERIES (10), BENCH_FIELD_OPENS (5), BENCH_LIGHTHOUSE_RUNS (3; 0 skips Lighthouse).
 */
import './env.ts';
import { benchField, printFieldBench } from './field.ts';

const runs = {
  deliveries: Number(process.env.BENCH_FIELD_DELIVERIES ?? 10),
  opens: Number(process.env.BENCH_FIELD_OPENS ?? 5),
  lighthouseRuns: Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3),
};
printFieldBench(await benchField(runs), runs);
