import { reactive, ref } from 'vue';
import { api, queue, queueAction } from './api.ts';
import { keptRollCallAnswers, type RollCallAnswer } from './cache.ts';
import { onQueueChange, queuedActions } from './queue.ts';

/**
 * 上班/下班, the track and roll-call answers of 城管通: every one is a queued action (IndexedDB, its own
 * Idempotency-Key, sent in order like the case steps), carrying its own time (`at`) so that a press made
 * offline counts when it was made. While on duty and the app is open, a track point is taken every
 * 60 s and sent in batches of 5 (and on 下班 or when the app goes to the background).
 */

/** A track point every minute while on duty and the app is open. */
export const TRACK_INTERVAL_MS = 60_000;
const BATCH = 5;
const DUTY_KEY = 'citygrid.field.duty';

export interface Place {
  lat: number;
  lng: number;
  accuracyMetres?: number;
}

export interface TrackPointInput extends Place {
  at: string;
}

export type { RollCallAnswer };

/** Whether I am on duty, as this phone last knew it (the server's answer, or my own press while offline). */
export const duty = ref<{ onDuty: boolean; since?: string }>(readKept());
/**
 * The server's answers to roll calls answered from this phone, by roll-call id. They are kept in
 * IndexedDB by whoever sent the answer — this page, another tab or the service worker's Background
 * Sync (cache.ts, acceptedAction) — and read again after every change of the queue.
 */
export const rollCallAnswers = reactive(new Map<string, RollCallAnswer>());
async function loadRollCallAnswers(): Promise<void> {
  for (const answer of await keptRollCallAnswers().catch(() => [] as RollCallAnswer[])) rollCallAnswers.set(answer.id, answer);
}

/** A roll call's state on this phone: the server's answer, or its answer still in the queue, or neither. */
export function rollCallState(id: string): { answer?: RollCallAnswer; queued: boolean } {
  const answer = rollCallAnswers.get(id);
  if (answer) return { answer, queued: false };
  return { queued: queue.value.some((a) => a.kind === 'roll-call-answer' && a.path === answerPath(id)) };
}
const answerPath = (id: string) => `/v1/me/roll-calls/${encodeURIComponent(id)}/answer`;

function readKept(): { onDuty: boolean; since?: string } {
  try {
    return JSON.parse(localStorage.getItem(DUTY_KEY) ?? '') as { onDuty: boolean; since?: string };
  } catch {
    return { onDuty: false };
  }
}
function keep(state: { onDuty: boolean; since?: string }) {
  duty.value = state;
  try {
    localStorage.setItem(DUTY_KEY, JSON.stringify(state));
  } catch {
    // No storage: this page's state only.
  }
}

/** The phone's current place (GPS, high accuracy, 15 s at most; a fix up to 30 s old will do). */
export function currentPlace(): Promise<Place> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('无法获取位置：此设备不支持定位'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: round(p.coords.latitude), lng: round(p.coords.longitude), ...(Number.isFinite(p.coords.accuracy) ? { accuracyMetres: Math.round(p.coords.accuracy) } : {}) }),
      (e) => reject(new Error(e.code === e.PERMISSION_DENIED ? '无法获取位置：请允许“城管通”使用定位' : '无法获取位置，请到开阔处重试')),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  });
}
const round = (degrees: number) => Math.round(degrees * 1e7) / 1e7;

/** Reads my duty state from the server (kept for offline); offline, what the phone knew. */
export async function refreshDuty(): Promise<void> {
  const before = presses;
  try {
    const { duty: state } = await api<{ duty: { onDuty: boolean; since?: string } }>('/v1/me/duty');
    // A press made meanwhile, or one still in the queue, is newer than the server's answer.
    const queued = (await queuedActions()).some((a) => a.kind === 'duty');
    if (presses === before && !queued) keep(state);
  } catch {
    // Offline: the kept state (with my own presses) stands.
  }
  syncTracking();
}

let presses = 0;

/** 上班 or 下班 at the current place, queued (sent at once when there is a connection). */
export async function changeDuty(action: 'start' | 'end'): Promise<void> {
  presses++;
  const place = await currentPlace();
  const at = new Date().toISOString();
  if (action === 'end') await flushPoints(); // the points of the span go before its end
  const { accuracyMetres: _, ...location } = place;
  await queueAction({ kind: 'duty', title: action === 'start' ? '上班' : '下班', path: '/v1/me/duty', body: { action, location, at }, photos: [], photoKind: 'before' });
  keep(action === 'start' ? { onDuty: true, since: at } : { onDuty: false });
  if (action === 'start') buffer.push({ ...place, at });
  syncTracking();
}

/** 应答: answers a roll call with the current place, queued like every action (its own `at`: late answers count late). */
export async function answerRollCall(id: string): Promise<void> {
  const at = new Date().toISOString();
  const { accuracyMetres: _, ...location } = await currentPlace();
  await queueAction({ kind: 'roll-call-answer', title: '点名应答', path: answerPath(id), body: { location, at }, photos: [], photoKind: 'before' });
}

// ---- the track: a point every interval while on duty and the app is open, sent in batches ----

const buffer: TrackPointInput[] = [];
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * One tick of the track. The point's time is the tick's, taken before the GPS answers: a slow fix must
 * not give two ticks the same instant (the server keeps one point per instant).
 */
async function takePoint(): Promise<void> {
  if (!duty.value.onDuty) return;
  const at = new Date().toISOString();
  try {
    buffer.push({ ...(await currentPlace()), at });
  } catch {
    return; // no fix this time: the next one
  }
  if (buffer.length >= BATCH) await flushPoints();
}

/** Queues the points taken so far as one batch (`POST /v1/me/track-points`). */
export async function flushPoints(): Promise<void> {
  if (buffer.length === 0) return;
  const points = buffer.splice(0, buffer.length);
  await queueAction({ kind: 'track', title: `轨迹 ${points.length} 个点`, path: '/v1/me/track-points', body: { points }, photos: [], photoKind: 'before' });
}

/** Starts or stops the track with the duty state (only while the app is open: no background GPS). */
export function syncTracking(): void {
  if (duty.value.onDuty && !timer) timer = setInterval(() => void takePoint(), TRACK_INTERVAL_MS);
  if (!duty.value.onDuty && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

let started = false;
/** Once per app: the duty state from the server, the track, the kept roll-call answers, and a flush whenever the app is hidden. */
export function startDuty(): void {
  if (started) return;
  started = true;
  void loadRollCallAnswers();
  onQueueChange(() => void loadRollCallAnswers());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void flushPoints();
  });
  void refreshDuty();
}
