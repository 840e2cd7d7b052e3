import { RateLimitedError } from './errors.ts';
import type { Principal } from './identity/model.ts';
import { STAFF_ROLES } from './roles.ts';

/**
 * Per-citizen abuse limits (one citizen once created 250 cases at 40/s): reports and upload grants,
 * each counted in an hourly and a daily fixed window. Staff are exempt (supervisors patrol all day,
 * handlers upload after photos); hotline tickets never come from a citizen's account.
 */
export const QUOTA_KINDS = ['report', 'upload'] as const;
export type QuotaKind = (typeof QUOTA_KINDS)[number];

/** One window's limit: at most `max` in each window of `windowSeconds` (aligned, see {@link windowStart}). */
export interface QuotaLimit {
  window: 'hour' | 'day';
  max: number;
}

export type QuotaPolicy = Record<QuotaKind, QuotaLimit[]>;

export const DEFAULT_QUOTAS: QuotaPolicy = {
  report: [
    { window: 'hour', max: 10 },
    { window: 'day', max: 30 },
  ],
  upload: [
    { window: 'hour', max: 40 },
    { window: 'day', max: 120 },
  ],
};

const WINDOW_SECONDS = { hour: 3600, day: 86_400 } as const;
/** Days are Asia/Shanghai days (UTC+8, no daylight saving): a citizen's "today" resets at local midnight. */
const DAY_OFFSET_SECONDS = 8 * 3600;

/** Start (epoch seconds) of the window holding `at`, and the seconds left until the next one. */
export function windowStart(window: QuotaLimit['window'], at: Date): { start: number; secondsLeft: number } {
  const now = Math.floor(at.getTime() / 1000);
  const offset = window === 'day' ? DAY_OFFSET_SECONDS : 0;
  const start = Math.floor((now + offset) / WINDOW_SECONDS[window]) * WINDOW_SECONDS[window] - offset;
  return { start, secondsLeft: start + WINDOW_SECONDS[window] - now };
}

/** The counters on the table: one conditional increment per window, all or none (a refusal counts nothing). */
export interface QuotaCounter {
  /** Takes one unit from every window's counter; returns the indexes of the windows already full (nothing taken then). */
  take(kind: QuotaKind, userId: string, windows: Array<{ window: QuotaLimit['window']; start: number; max: number }>): Promise<number[]>;
  /** Removes a person's counters that may still be alive at `at` (account cancellation). */
  forget(userId: string, at: Date): Promise<void>;
}

/** Citizens only: anyone holding a staff role is exempt. */
export const isQuotaExempt = (principal: Principal) => principal.roles.some((role) => (STAFF_ROLES as readonly string[]).includes(role));

/**
 * Counts one `kind` for this citizen, or refuses with 429 and `Retry-After` (until the fullest window
 * that refused ends). Staff pass without a count.
 */
export async function takeQuota(deps: { counter: Pick<QuotaCounter, 'take'>; policy: QuotaPolicy }, kind: QuotaKind, principal: Principal, at: Date): Promise<void> {
  if (isQuotaExempt(principal)) return;
  const limits = deps.policy[kind];
  if (limits.length === 0) return;
  const windows = limits.map((limit) => ({ window: limit.window, max: limit.max, ...windowStart(limit.window, at) }));
  const full = await deps.counter.take(kind, principal.userId, windows);
  if (full.length === 0) return;
  const retryAfter = Math.max(...full.map((i) => windows[i]!.secondsLeft));
  const what = kind === 'report' ? 'reports' : 'photo uploads';
  const limit = windows[full[0]!]!;
  throw new RateLimitedError(`Too many ${what}: at most ${limit.max} per ${limit.window}`, retryAfter);
}
