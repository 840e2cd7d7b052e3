import { ApiError, OfflineError, SessionEndedError, toApiError } from '../../web-core/errors.ts';
import { newIdempotencyKey } from '../../web-core/client.ts';
import { done, tx } from './db.ts';

/** What a queued action does: the case step it sends (with its path) or a patrol report. */
export type ActionKind = 'complete' | 'return' | 'extension' | 'suspension' | 'check-answer' | 'patrol' | 'duty' | 'track' | 'roll-call-answer';

/** A photo of an action: the shrunk file, and what the phone knew when it was taken (EXIF first). */
export interface QueuedPhoto {
  blob: Blob;
  capturedAt?: string;
  capturedLocation?: { lat: number; lng: number };
  /** Set once the photo is in the bucket: a retry of the action sends the same keys (the same body). */
  photoKey?: string;
}

/**
 * One action taken on the phone, kept in IndexedDB until the server accepts it:
 * `waiting` (not sent yet, or no connection), `sending`, `retrying` (5xx, a photo still being checked:
 * tried again after `nextAttemptAt`), `refused` (4xx: the person edits it — with a new key — or discards it).
 */
export interface QueuedAction {
  seq?: number;
  kind: ActionKind;
  /** 任务 title for the banner: the case number or the description's start. */
  title: string;
  caseId?: string;
  path: string;
  /** The request body without `photoKeys` (added from the uploaded photos). */
  body: Record<string, unknown>;
  photos: QueuedPhoto[];
  /** `before` (核实, patrol reports) or `after` (completions, 核查). */
  photoKind: 'before' | 'after';
  idempotencyKey: string;
  state: 'waiting' | 'sending' | 'retrying' | 'refused';
  attempts: number;
  nextAttemptAt?: number;
  error?: { status: number; code: string; message: string };
  createdAt: string;
}

export const queueStates: Record<QueuedAction['state'], string> = {
  waiting: '等待上传',
  sending: '正在上传',
  retrying: '稍后重试',
  refused: '被退回',
};

const all = () => tx('queue', 'readonly', (t) => done(t.objectStore('queue').getAll()) as Promise<QueuedAction[]>);

export async function queuedActions(): Promise<QueuedAction[]> {
  return (await all()).sort((a, b) => a.seq! - b.seq!);
}

const put = (item: QueuedAction) => tx('queue', 'readwrite', (t) => done(t.objectStore('queue').put(item)) as Promise<IDBValidKey>);
const remove = (seq: number) => tx('queue', 'readwrite', (t) => void t.objectStore('queue').delete(seq));

const listeners = new Set<() => void>();
/** Called after every change of the queue (the banner re-reads it). */
export function onQueueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
let channel: BroadcastChannel | undefined;
try {
  channel = new BroadcastChannel('citygrid-field-queue');
  channel.onmessage = () => listeners.forEach((l) => l());
} catch {
  // No BroadcastChannel: this context's listeners only.
}
function changed() {
  listeners.forEach((l) => l());
  channel?.postMessage('changed');
}

/** Queues an action (a fresh Idempotency-Key) and returns it with its `seq`. */
export async function enqueue(action: Omit<QueuedAction, 'seq' | 'state' | 'attempts' | 'idempotencyKey' | 'createdAt'>): Promise<QueuedAction> {
  const item: QueuedAction = { ...action, state: 'waiting', attempts: 0, idempotencyKey: newIdempotencyKey(), createdAt: new Date().toISOString() };
  item.seq = (await put(item)) as number;
  changed();
  return item;
}

/** An edited refused action goes back in its place with a new key (another body is another request). */
export async function resubmit(item: QueuedAction, body: Record<string, unknown>): Promise<void> {
  await put({ ...item, body, state: 'waiting', attempts: 0, idempotencyKey: newIdempotencyKey(), error: undefined, nextAttemptAt: undefined });
  changed();
}

export async function discard(seq: number): Promise<void> {
  await remove(seq);
  changed();
}

/** What the queue needs from the app: the API client and the photo upload. */
export interface QueueDeps {
  send(path: string, options: { method: string; body: unknown; idempotencyKey: string }): Promise<Response>;
  uploadPhoto(photo: QueuedPhoto, kind: 'before' | 'after'): Promise<string>;
  /** After the server accepted an action: its answer (`{ case }`), to update what the phone keeps. */
  accepted?(item: QueuedAction, answer: unknown): Promise<void> | void;
}

/**
 * Waits between tries: the server's Retry-After when it gives one; a photo still being checked (a few
 * seconds) 1 s; otherwise 2, 4, 8 … 60 s.
 */
export function backoffMs(attempts: number, retryAfterSeconds?: number, photoPending = false): number {
  if (retryAfterSeconds) return retryAfterSeconds * 1000;
  if (photoPending) return 1000;
  return Math.min(60_000, 1000 * 2 ** Math.min(attempts, 6));
}

/** The API's "a photo is still being checked": 409 PHOTO_PENDING (before it, a 400 on the photo keys alone). */
export const isPhotoPending = (error: ApiError) =>
  (error.status === 409 && error.code === 'PHOTO_PENDING') || (error.status === 400 && error.details.length > 0 && error.details.every((d) => d.path.startsWith('photoKeys')));

/** A refusal the person must look at (4xx), or a failure to retry (5xx, 429, a photo still being checked)? */
export function isRetryable(error: ApiError): boolean {
  return error.status >= 500 || error.status === 429 || error.status === 408 || isPhotoPending(error);
}

let timer: ReturnType<typeof setTimeout> | undefined;
/** This context's drain under way, and whether another was asked for meanwhile (the connection came back during it). */
let draining: Promise<number> | undefined;
let again = false;

/**
 * Sends the queue in order, one action at a time, under a Web Lock (the tabs and the service worker
 * never send the same queue together). Photos first — a fresh upload grant each try, each photo's key
 * kept once it is in the bucket — then the action with its Idempotency-Key. Stops at the first action
 * that must wait (no connection, a retry's backoff), so later actions never overtake it; a refused one
 * stays for the person and the queue goes on. A drain asked for while one runs in this context (the
 * `online` event during the start's drain) runs right after it; one in another tab or the worker is
 * waited for, then this one goes through what is left. Returns how many actions the server accepted.
 */
export function drainQueue(deps: QueueDeps, schedule = true): Promise<number> {
  if (draining) {
    again = true;
    return draining;
  }
  draining = (async () => {
    let total = 0;
    do {
      again = false;
      total += await drainOnce(deps, schedule);
    } while (again);
    return total;
  })().finally(() => (draining = undefined));
  return draining;
}

async function drainOnce(deps: QueueDeps, schedule: boolean): Promise<number> {
  const run = async () => {
    let sent = 0;
    for (const item of await queuedActions()) {
      if (item.state === 'refused') continue;
      if (item.nextAttemptAt && item.nextAttemptAt > Date.now()) {
        if (schedule) later(deps, item.nextAttemptAt - Date.now());
        break;
      }
      const outcome = await deliver(item, deps);
      if (outcome === 'sent') sent++;
      else if (outcome === 'stop') {
        // A retry waits its backoff: the queue goes on from it then (a worker's drain leaves that to the pages).
        if (schedule && item.state === 'retrying' && item.nextAttemptAt) later(deps, item.nextAttemptAt - Date.now());
        break;
      }
    }
    return sent;
  };
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request('citygrid-field-queue', run) : run();
}

function later(deps: QueueDeps, ms: number) {
  clearTimeout(timer);
  timer = setTimeout(() => void drainQueue(deps), Math.max(50, ms));
}

async function deliver(item: QueuedAction, deps: QueueDeps): Promise<'sent' | 'refused' | 'stop'> {
  item.state = 'sending';
  item.attempts += 1;
  await put(item);
  changed();
  try {
    for (const photo of item.photos) {
      if (photo.photoKey) continue;
      photo.photoKey = await deps.uploadPhoto(photo, item.photoKind);
      await put(item); // the photo is in the bucket: a retry sends this key, not a new upload
    }
    const body = item.photos.length > 0 ? { ...item.body, photoKeys: item.photos.map((p) => p.photoKey) } : item.body;
    const response = await deps.send(item.path, { method: 'POST', body, idempotencyKey: item.idempotencyKey });
    if (!response.ok) throw await toApiError(response);
    const text = await response.text();
    await remove(item.seq!);
    changed();
    await deps.accepted?.(item, text ? JSON.parse(text) : undefined);
    // Once more after what the answer updated (a roll call's verdict), for pages reading it on a change.
    if (deps.accepted) changed();
    return 'sent';
  } catch (error) {
    if (error instanceof OfflineError || error instanceof SessionEndedError || !(error instanceof ApiError)) {
      item.state = 'waiting';
      await put(item);
      changed();
      return 'stop';
    }
    if (isRetryable(error)) {
      item.state = 'retrying';
      item.nextAttemptAt = Date.now() + backoffMs(item.attempts, error.retryAfterSeconds, isPhotoPending(error));
      item.error = { status: error.status, code: error.code, message: error.message };
      await put(item);
      changed();
      return 'stop';
    }
    item.state = 'refused';
    item.error = { status: error.status, code: error.code, message: error.message };
    await put(item);
    changed();
    return 'refused';
  }
}
