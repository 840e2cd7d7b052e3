/**
 * `npm run bench:wall -- --minutes 15 [--snapshots .data/wall-heap]`: the wall page's JS heap over time
 * under a report every 5 s (bench/wall-heap.ts); with `--snapshots`, heap snapshots of minute 1 and the last. The same measurement runs inside `npm run bench` (BENCH_WALL_MINUTES, default 15).
 */
import './env.ts';
import { parseArgs } from 'node:util';
import { benchWallHeap, printWallHeap } from './wall-heap.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: process.env.BENCH_WALL_MINUTES ?? '15' }, snapshots: { type: 'string' } } });
const minutes = Number(values.minutes);
if (!Number.isInteger(minutes) || minutes < 2) throw new Error('--minutes: a whole number of minutes, at least 2');
printWallHeap(await benchWallHeap(minutes, console.log, values.snapshots), minutes);
