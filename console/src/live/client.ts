/** The live channel's messages (the contract's "Live updates for the command center"): the types are the server's own list. */
import { LIVE_TYPES, type LiveType } from '../../../shared/domain/live/types.ts';

export { LIVE_TYPES, type LiveType };

export interface LiveMessage {
  /** Increases in time order and is unique: repeats are dropped by it. */
  id: string;
  type: LiveType;
  at: string;
  caseId?: string;
  caseNumber?: string;
  departmentId?: string;
  summary: string;
}

/** `connecting` → `open`; `waiting` between attempts; `ended`: the session ended (log in again). */
export type LiveStatus = 'idle' | 'connecting' | 'open' | 'waiting' | 'ended';


/** What the live client needs from the API and the browser (the console passes its API client; tests fakes). */
export interface LiveClientDeps {
  /** `POST /v1/live/tickets` → `{ url, ticket }`; throws when refused (401/403 stop the client). */
  ticket(): Promise<{ url: string; ticket: string }>;
  /** `GET /v1/live/missed?since=` → the messages after `since`. */
  missed(since: string): Promise<{ items: LiveMessage[] }>;
  /** The WebSocket constructor (the browser's). */
  WebSocket: new (url: string) => WebSocketLike;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

/** The part of a browser WebSocket the client uses. */
export interface WebSocketLike {
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

type Listener = (message: LiveMessage) => void;

/** Waits between reconnects: 1 s, 2 s, 4 s … up to 30 s, each with up to 50 % jitter. */
export const backoffMs = (attempt: number, random: number) => Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)) * (1 + random / 2);
/** The socket closes with this when its session ended (the server's re-check). */
export const SESSION_ENDED_CODE = 4401;
/** Ids remembered to drop repeats (a reconnect's `missed` overlaps what was received). */
const SEEN_LIMIT = 5000;
/** API Gateway closes a socket idle for 10 minutes: a ping every 5. */
const PING_MS = 5 * 60_000;

/**
 * 实时推送 — the console's live connection: a ticket opens the socket; when it drops, the client waits
 * (backoff) and opens a new one, then asks `missed?since=` the last id it got, so nothing is lost; every
 * message is handed on once (repeats dropped by id), in the order received. Framework-free (the Vue
 * side is `useLive()`).
 */
export function createLiveClient(deps: LiveClientDeps) {
  const listeners = new Map<LiveType | '*', Set<Listener>>();
  const statusListeners = new Set<(status: LiveStatus) => void>();
  const seen = new Set<string>();
  let lastId: string | undefined;
  let socket: WebSocketLike | undefined;
  let status: LiveStatus = 'idle';
  let attempt = 0;
  let timer: unknown;
  let ping: unknown;
  let running = false;

  const setStatus = (next: LiveStatus) => {
    status = next;
    for (const fn of statusListeners) fn(next);
  };

  const deliver = (message: LiveMessage) => {
    if (!message || typeof message.id !== 'string' || !LIVE_TYPES.includes(message.type) || seen.has(message.id)) return;
    seen.add(message.id);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
    if (!lastId || message.id > lastId) lastId = message.id;
    for (const fn of [...(listeners.get(message.type) ?? []), ...(listeners.get('*') ?? [])]) {
      try {
        fn(message);
      } catch (error) {
        console.error('[live] a listener failed', error);
      }
    }
  };

  const schedule = () => {
    if (!running) return;
    setStatus('waiting');
    timer = deps.setTimeout(() => void open(), backoffMs(attempt++, deps.random()));
  };

  const keepAlive = () => {
    ping = deps.setTimeout(() => {
      if (socket?.readyState === 1) socket.send('ping');
      keepAlive();
    }, PING_MS);
  };

  async function open() {
    if (!running) return;
    setStatus('connecting');
    let ticket: { url: string; ticket: string };
    try {
      ticket = await deps.ticket();
    } catch (error) {
      // Refused (logged out, not staff): no point in trying again.
      if ((error as { status?: number }).status === 401 || (error as { status?: number }).status === 403) return stop('ended');
      return schedule();
    }
    if (!running) return;
    const ws = new deps.WebSocket(`${ticket.url}?ticket=${encodeURIComponent(ticket.ticket)}`);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setStatus('open');
      keepAlive();
      // Caught up after the socket is open, so nothing falls between the two (repeats are dropped).
      if (lastId) {
        deps
          .missed(lastId)
          .then((missed) => missed.items.forEach(deliver))
          .catch((error: unknown) => console.warn('[live] missed messages could not be read', error));
      }
    };
    ws.onmessage = (event) => {
      try {
        deliver(JSON.parse(String(event.data)) as LiveMessage);
      } catch {
        // Not a message of ours.
      }
    };
    ws.onerror = () => undefined;
    ws.onclose = (event) => {
      deps.clearTimeout(ping);
      if (socket !== ws) return;
      socket = undefined;
      if (event.code === SESSION_ENDED_CODE) return stop('ended');
      schedule();
    };
  }

  function stop(final: LiveStatus = 'idle') {
    running = false;
    deps.clearTimeout(timer);
    deps.clearTimeout(ping);
    const ws = socket;
    socket = undefined;
    ws?.close(1000, 'bye');
    setStatus(final);
  }

  return {
    /** Opens the channel (again after `stop`); a no-op while running. */
    start() {
      if (running) return;
      running = true;
      attempt = 0;
      void open();
    },
    stop: () => stop('idle'),
    /** Listens to one type, or every message (`*`); returns the unsubscribe. */
    on(type: LiveType | '*', fn: Listener) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(fn);
      return () => void set!.delete(fn);
    },
    onStatus(fn: (status: LiveStatus) => void) {
      statusListeners.add(fn);
      return () => void statusListeners.delete(fn);
    },
    status: () => status,
    /** The newest id received (what `missed` is asked from). */
    lastId: () => lastId,
  };
}

export type LiveClient = ReturnType<typeof createLiveClient>;
