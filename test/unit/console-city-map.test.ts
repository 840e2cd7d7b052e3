import { effectScope, ref } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * 实时地图 / 大屏's wiring (console/src/citymap/live.ts, `useCityMap`) with the console's API and its
 * live channel replaced by fakes (no browser here; the browser test drives the real ones): which live
 * message reads what again, the debounce, and the polling periods with and without the channel.
 */
const api = vi.hoisted(() => ({
  listCases: vi.fn(async () => ({ items: [] as unknown[] })),
  onDuty: vi.fn(async () => [] as unknown[]),
}));
const live = vi.hoisted(() => ({
  listeners: new Set<(message: { id: string; type: string; summary: string; at: string }) => void>(),
  status: undefined as unknown as { value: string },
}));

vi.mock('../../console/src/api', () => ({
  ApiError: class ApiError extends Error {},
  listCases: api.listCases,
}));
vi.mock('../../console/src/api/duty', () => ({ onDuty: api.onDuty }));
vi.mock('../../console/src/live', () => ({
  useLive: () => ({
    on: (_type: string, fn: (message: { id: string; type: string; summary: string; at: string }) => void) => {
      live.listeners.add(fn);
      return () => live.listeners.delete(fn);
    },
    status: live.status,
    lastId: () => undefined,
  }),
}));

// Loaded by a path the root typecheck does not follow (the console's own modules import without
// extensions, for Vite; `npm run typecheck:console` checks them).
const CITY_MAP_MODULE = '../../console/src/citymap/live.ts';
const { useCityMap, FALLBACK_POLL_MS, SAFETY_POLL_MS, STAFF_POLL_MS } = (await import(/* @vite-ignore */ CITY_MAP_MODULE)) as {
  useCityMap: () => unknown;
  FALLBACK_POLL_MS: number;
  SAFETY_POLL_MS: number;
  STAFF_POLL_MS: number;
};

let n = 0;
const send = (type: string) => {
  for (const fn of live.listeners) fn({ id: `m${++n}`, type, summary: '', at: new Date().toISOString() });
};
/** Reads of the cases (one per open status) and of the people, since the last reset. */
const reads = () => ({ cases: api.listCases.mock.calls.length / 5, staff: api.onDuty.mock.calls.length });

let scope: ReturnType<typeof effectScope>;
beforeEach(async () => {
  vi.useFakeTimers();
  live.listeners.clear();
  live.status = ref('open');
  scope = effectScope();
  scope.run(() => useCityMap());
  await vi.advanceTimersByTimeAsync(0); // the first read
  api.listCases.mockClear();
  api.onDuty.mockClear();
});
afterEach(() => {
  scope.stop();
  vi.useRealTimers();
});

describe('useCityMap (实时地图 and 大屏 on the live channel)', () => {
  it('reads the cases again a second after a case message, and only the cases', async () => {
    send('case.reported');
    await vi.advanceTimersByTimeAsync(999);
    expect(reads()).toEqual({ cases: 0, staff: 0 });
    await vi.advanceTimersByTimeAsync(1);
    expect(reads()).toEqual({ cases: 1, staff: 0 });
  });

  it('reads the people again after duty.changed and roll-call.answered, not the cases', async () => {
    send('duty.changed');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads()).toEqual({ cases: 0, staff: 1 });
    send('roll-call.answered');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads()).toEqual({ cases: 0, staff: 2 });
  });

  it('makes one read of a burst of 200 messages within the second', async () => {
    for (let i = 0; i < 200; i++) send(i % 2 ? 'case.reported' : 'case.closed');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads()).toEqual({ cases: 1, staff: 0 });
  });

  it('with the channel open reads everything only every 5 minutes (the people every minute); without it every 30 s', async () => {
    await vi.advanceTimersByTimeAsync(SAFETY_POLL_MS - 1);
    expect(reads()).toEqual({ cases: 0, staff: Math.floor((SAFETY_POLL_MS - 1) / STAFF_POLL_MS) });
    await vi.advanceTimersByTimeAsync(1);
    expect(reads().cases).toBe(1);

    live.status.value = 'waiting';
    await vi.advanceTimersByTimeAsync(0);
    api.listCases.mockClear();
    api.onDuty.mockClear();
    await vi.advanceTimersByTimeAsync(3 * FALLBACK_POLL_MS);
    expect(reads()).toEqual({ cases: 3, staff: 3 });
  });
});
