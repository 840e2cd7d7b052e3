import { onScopeDispose, ref, shallowRef } from 'vue';
import { ApiError, listCases, type Case, type CaseStatus } from '../api';
import { onDuty, type OnDutyPerson } from '../api/duty';

/** The open statuses a map shows (final ones — closed, rejected, voided, merged — never). */
export const OPEN_STATUSES: CaseStatus[] = ['reported', 'filed', 'dispatched', 'handled', 'suspended'];
/** One page per status: the queues are oldest first, so the most overdue are in it. Bounds the markers at 500. */
export const CASES_PER_STATUS = 100;

/**
 * The city now, for the live map and the wall: the open cases with a place and the people on duty,
 * read from the API (`GET /v1/cases` per open status, `GET /v1/staff/on-duty`) every `everyMs`, and at
 * once on {@link CityPicture.refreshSoon} (a live message said something changed). Every array is
 * replaced, never grown; the timers end with the component's scope (no leak on a page open for days).
 */
export interface CityPicture {
  cases: Readonly<{ value: Case[] }>;
  staff: Readonly<{ value: OnDutyPerson[] }>;
  /** Epoch ms, ticking every 15 s: the ages ("3 分钟前") follow it. */
  now: Readonly<{ value: number }>;
  loadedAt: Readonly<{ value: number | undefined }>;
  error: Readonly<{ value: string }>;
  refresh: () => Promise<void>;
  /** A refresh within `delayMs` (several live messages in a burst cause one). */
  refreshSoon: (delayMs?: number) => void;
  /** Changes the polling period (fast without a live channel, slow as its fallback). */
  setInterval: (everyMs: number) => void;
}

export function useCityPicture(options: { everyMs: number; withStaff?: boolean }): CityPicture {
  const cases = shallowRef<Case[]>([]);
  const staff = shallowRef<OnDutyPerson[]>([]);
  const now = ref(Date.now());
  const loadedAt = ref<number>();
  const error = ref('');
  let everyMs = options.everyMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let soon: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let disposed = false;

  async function load(): Promise<void> {
    const pages = await Promise.all(
      OPEN_STATUSES.map((status) =>
        listCases({ status, limit: CASES_PER_STATUS }).catch((e: unknown) => {
          // A status outside the caller's scope (403) shows nothing; anything else is an error.
          if (e instanceof ApiError && e.status === 403) return { items: [] as Case[] };
          throw e;
        }),
      ),
    );
    const people = options.withStaff === false ? [] : await onDuty();
    if (disposed) return;
    cases.value = pages.flatMap((p) => p.items).filter((c) => c.location);
    staff.value = people;
    loadedAt.value = Date.now();
    error.value = '';
  }

  /** One load at a time; a refresh asked for meanwhile runs once after it. */
  async function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await load().catch((e: unknown) => {
            error.value = e instanceof ApiError ? e.message : '实时数据加载失败，稍后自动重试';
          });
        } while (again && !disposed);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  function schedule() {
    clearTimeout(timer);
    if (disposed) return;
    timer = setTimeout(async () => {
      await refresh();
      schedule();
    }, everyMs);
  }

  const clock = setInterval(() => (now.value = Date.now()), 15_000);
  void refresh().then(schedule);

  onScopeDispose(() => {
    disposed = true;
    clearTimeout(timer);
    clearTimeout(soon);
    clearInterval(clock);
  });

  return {
    cases,
    staff,
    now,
    loadedAt,
    error,
    refresh,
    refreshSoon(delayMs = 1_000) {
      if (soon !== undefined || disposed) return;
      soon = setTimeout(() => {
        soon = undefined;
        void refresh();
      }, delayMs);
    },
    setInterval(ms: number) {
      if (ms === everyMs) return;
      everyMs = ms;
      schedule();
    },
  };
}
