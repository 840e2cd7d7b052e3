import { getCurrentScope, onScopeDispose, readonly, ref, watch } from 'vue';
import { request } from '../api/client';
import { session } from '../api/session';
import { createLiveClient, type LiveClient } from './client';
import type { LiveMessage, LiveStatus, LiveType } from './client';

export { LIVE_TYPES, type LiveMessage, type LiveStatus, type LiveType } from './client';

let client: LiveClient | undefined;
const status = ref<LiveStatus>('idle');

/** The console's one live connection: opened while a staff member is logged in, closed at logout. */
function liveClient(): LiveClient {
  if (client) return client;
  client = createLiveClient({
    ticket: () => request<{ url: string; ticket: string }>('/v1/live/tickets', { method: 'POST' }),
    missed: (since) => request<{ items: LiveMessage[] }>('/v1/live/missed', { query: { since } }),
    WebSocket: window.WebSocket as never,
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    random: Math.random,
  });
  client.onStatus((next) => (status.value = next));
  // Follows the session: a login (this tab or another) opens the channel, a logout closes it. Citizens
  // never reach the console, and every staff role has a live channel.
  watch(
    () => session.value?.user.id,
    (userId) => {
      client!.stop();
      if (userId) client!.start();
    },
    { immediate: true },
  );
  return client;
}

/**
 * 实时推送 in a component: `on(type, fn)` (or `'*'`) listens while the component lives (unsubscribed when
 * its scope ends); `status` is the connection's state. Messages come once each (repeats dropped by id),
 * including those caught up after a reconnect.
 *
 * ```ts
 * const live = useLive();
 * live.on('case.reported', (m) => queue.refresh());
 * ```
 */
export function useLive() {
  const c = liveClient();
  const on = (type: LiveType | '*', fn: (message: LiveMessage) => void) => {
    const off = c.on(type, fn);
    if (getCurrentScope()) onScopeDispose(off);
    return off;
  };
  return { on, status: readonly(status), lastId: () => c.lastId() };
}
