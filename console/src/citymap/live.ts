import { computed, onScopeDispose, watch, type ComputedRef } from 'vue';
import { useLive, type LiveMessage, type LiveType } from '../live';
import { useCityPicture, type CityPicture } from './picture';

/** With the live channel open, the whole picture is still read again this often (a safety net). */
export const SAFETY_POLL_MS = 5 * 60_000;
/** Without it (connecting, waiting to reconnect, ended), the old polling period. */
export const FALLBACK_POLL_MS = 30_000;
/**
 * The people on duty are read this often while the channel is open: track points are not live messages
 * (one a minute per person), so the ages and positions follow the field app's own 60 s rhythm.
 */
export const STAFF_POLL_MS = 60_000;
/** Live messages within this window cause one refresh (a burst of reports is one read, not 200). */
export const REFRESH_DEBOUNCE_MS = 1_000;

/** Messages that change the people on duty (上班/下班, an answered roll call's place). */
const STAFF_TYPES: readonly LiveType[] = ['duty.changed', 'roll-call.answered'];

export interface CityMap {
  picture: CityPicture;
  /** The live channel is open: updates come as they happen ("实时"), not by polling. */
  connected: ComputedRef<boolean>;
}

/**
 * 实时地图 and 大屏's shared wiring: the city's picture (open cases, people on duty) kept current by the
 * console's live channel (`useLive()`: reconnect with backoff, `missed` after a reconnect, repeats
 * dropped). A case message refreshes the cases, a duty message the people — each debounced; the
 * picture is also read every {@link SAFETY_POLL_MS} while the channel is open, every
 * {@link FALLBACK_POLL_MS} while it is not. `onMessage` sees every message (the wall's rolling list).
 */
export function useCityMap(onMessage?: (message: LiveMessage) => void): CityMap {
  const picture = useCityPicture({ everyMs: FALLBACK_POLL_MS });
  const live = useLive();
  const connected = computed(() => live.status.value === 'open');

  live.on('*', (message) => {
    if (message.type.startsWith('case.')) picture.refreshSoon('cases', REFRESH_DEBOUNCE_MS);
    else if (STAFF_TYPES.includes(message.type)) picture.refreshSoon('staff', REFRESH_DEBOUNCE_MS);
    onMessage?.(message);
  });

  watch(connected, (open) => picture.setInterval(open ? SAFETY_POLL_MS : FALLBACK_POLL_MS), { immediate: true });
  const staffTimer = setInterval(() => {
    if (connected.value) void picture.refresh('staff');
  }, STAFF_POLL_MS);
  onScopeDispose(() => clearInterval(staffTimer));

  return { picture, connected };
}
