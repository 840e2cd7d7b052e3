import { onScopeDispose, ref, shallowRef } from 'vue';
import { ApiError, listCases, type Case, type CaseStatus } from '../api';
import { onDuty, type OnDutyPerson } from '../api/duty';

/** The open statuses a map shows (final ones — closed, rejected, voided, merged — never). */
export const OPEN_STATUSES: CaseStatus[] = ['reported', 'filed', 'dispatched', 'handled', 'suspended'];
/** One page per status: the queues are oldest first, so the most overdue are in it. Bounds the markers at 500. */
export const CASES_PER_STATUS = 100;

/**
 * The city now, for the live map and the wall: the open cases with a place and the people on duty,
 * read from the API (`GET /v1/cases` per open status, `GET /v1/staff/on-duty`) every `everyMs`, and
 * soon after {@link CityPicture.refreshSoon} (a live message said the cases or the people changed).
 * Every array is replaced, never grown; the timers end with the component's scope (no leak on a page
 * open for days).
 */
export interface CityPicture {
  cases: Readonly<{ value: Case[] }>;
  staff: Readonly<{ value: OnDutyPerson[] }>;
  /** Epoch ms, ticking every 15 s: the ages ("3 分钟前") follow it. */
  now: Readonly<{ value: number }>;
  loadedAt: Readonly<{ value: number | undefined }>;
  error: Readonly<{ value: string }>;
  refresh: (part?: PicturePart) => Promise<void>;
  /** A refresh of `part` within `delayMs` (several live messages in a burst cause one). */
  refreshSoon: (part?: PicturePart, delayMs?: number) => void;
  /** Changes the polling period (fast without a live channel, slow as its fallback). */
  setInterval: (everyMs: number) => void;
}

/** A failed read is tried again after this (whatever the polling period). */
const RETRY_MS = 30_000;

/** What a refresh reads again: the open cases, the people on duty, or both. */
export type PicturePart = 'cases' | 'staff' | 'all';

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
  let disposed = false;
  /** The parts asked for and not yet read (a refresh asked for during a load is run after it). */
  const wanted = { cases: false, staff: false };
  const want = (part: PicturePart) => {
    if (part !== 'staff') wanted.cases = true;
    if (part !== 'cases' && options.withStaff !== false) wanted.staff = true;
  };

  async function load(): Promise<void> {
    const read = { ...wanted };
    wanted.cases = wanted.staff = false;
    const pages = !read.cases ? undefined : await Promise.all(
      OPEN_STATUSES.map((status) =>
        listCases({ status, limit: CASES_PER_STATUS }).catch((e: unknown) => {
          // A status outside the caller's scope (403) shows nothing; anything else is an error.
          if (e instanceof ApiError && e.status === 403) return { items: [] as Case[] };
          throw e;
        }),
      ),
    );
    const people = read.staff ? await onDuty() : undefined;
    if (disposed) return;
    if (pages) cases.value = pages.flatMap((p) => p.items).filter((c) => c.location);
    if (people) staff.value = people;
    loadedAt.value = Date.now();
    error.value = '';
  }

  /** One load at a time; a refresh asked for meanwhile runs once after it. */
  function refresh(part: PicturePart = 'all'): Promise<void> {
    want(part);
    return run();
  }
  function run(): Promise<void> {
    if (running) return running;
    running = (async () => {
      let failed = false;
      try {
        do {
          await load().catch((e: unknown) => {
            failed = true;
            error.value = e instanceof ApiError ? e.message : '实时数据加载失败，稍后自动重试';
          });
        } while ((wanted.cases || wanted.staff) && !disposed);
      } finally {
        running = undefined;
      }
      // The slow poll is far off when the live channel is up: a failed read is tried again sooner.
      if (failed) refreshSoon('all', RETRY_MS);
    })();
    return running;
  }

  function refreshSoon(part: PicturePart = 'all', delayMs = 1_000) {
    if (disposed) return;
    // Remembered now; read when the timer fires, or by a load already running.
    want(part);
    if (soon !== undefined) return;
    soon = setTimeout(() => {
      soon = undefined;
      if (wanted.cases || wanted.staff) void run();
    }, delayMs);
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
    refreshSoon,
    setInterval(ms: number) {
      if (ms === everyMs) return;
      everyMs = ms;
      schedule();
    },
  };
}
