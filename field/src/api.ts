import { ref } from 'vue';
import { loadWebConfig } from '../../web-core/config.ts';
import { browserSession, type User } from '../../web-core/session.ts';
import { keepDetail, keepPhoto, keepTasks, keptDetail, keptTasks, pruneKept, sortTasks, type CaseDetail, type KeptTasks, type Task } from './cache.ts';
import { drainQueue, enqueue, onQueueChange, queuedActions, type QueuedAction } from './queue.ts';
import { readFirstScreen, SESSION_KEY, writeFirstScreen } from './first-screen.ts';
import { config, fieldClient } from './transport.ts';

export { ApiError, OfflineError, SessionEndedError } from '../../web-core/errors.ts';

/** The roles the field app serves; everyone else uses the console. */
export const FIELD_ROLES = ['supervisor', 'handler'] as const;
export const isFieldUser = (user: User) => user.roles.some((r) => (FIELD_ROLES as readonly string[]).includes(r));

/** localStorage `citygrid.field.session` for this tab, IndexedDB `citygrid-field` for all tabs and the service worker. */
export const holder = browserSession<User>(SESSION_KEY, 'citygrid-field');
export const session = holder.session;
export const client = fieldClient(holder);
export const api = client.api;
export { config };

const CONFIG_KEY = 'citygrid.field.config';

/**
 * config.json (the API's URL, the tile server), kept in localStorage. The app starts at once with the
 * kept one and reads config.json beside its start (on a patchy connection that request can hang for many
 * seconds, and offline it fails); only the very first start waits for it. An app opened with no network
 * thus still sends its queue to the API once the connection returns.
 */
export async function loadConfig(): Promise<void> {
  let kept: Partial<typeof config> | undefined;
  try {
    kept = JSON.parse(localStorage.getItem(CONFIG_KEY) ?? 'null') ?? undefined;
  } catch {
    // No storage: the build's defaults until config.json answers.
  }
  if (kept) Object.assign(config, kept);
  const fresh = loadWebConfig(import.meta.env.BASE_URL, config).then(() => {
    try {
      localStorage.setItem(CONFIG_KEY, JSON.stringify(config));
    } catch {
      // No storage: read again next time.
    }
  });
  if (!kept) await fresh;
}

/**
 * The task list: `GET /v1/me/tasks` (every page: handlers' dispatched and rework cases, supervisors'
 * 核实/核查), kept on the phone for reading offline.
 */
export async function fetchTasks(): Promise<Task[]> {
  const items: Task[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<{ items: Task[]; nextCursor?: string }>('/v1/me/tasks', { query: { cursor, limit: 100 } });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const sorted = sortTasks(items);
  await keepTasks(sorted);
  keepFirstScreen({ items: sorted, savedAt: new Date().toISOString() });
  void prefetch(sorted);
  return sorted;
}

/** Details and before photos of every task, so a task opened later without a signal can be read. */
async function prefetch(tasks: Task[]) {
  for (const task of tasks) if (task.caseId) await fetchDetail(task.caseId).catch(() => undefined);
  await pruneKept(tasks).catch(() => undefined);
}

/** A case's details from the API (kept, with its photos); offline, what the phone kept. */
export async function fetchDetail(caseId: string): Promise<CaseDetail> {
  const detail = await api<CaseDetail>(`/v1/cases/${encodeURIComponent(caseId)}`);
  await keepDetail(detail);
  await Promise.all([...detail.photos.before, ...detail.photos.after].map((p) => keepPhoto(p.photoKey, p.url).catch(() => undefined)));
  return detail;
}

export { keptDetail, keptTasks };

/** The task list for the first screen (first-screen.ts), this person's; IndexedDB's list and the server's replace it. */
export const firstScreenTasks = () => readFirstScreen(session.value?.user.id);
/** Keeps the first screen's snapshot (or forgets it, at logout). */
export const keepFirstScreen = (kept: KeptTasks | undefined) => writeFirstScreen(session.value?.user.id, kept);


/** The queue, reactive for the banner. */
export const queue = ref<QueuedAction[]>([]);
const reloadQueue = async () => {
  queue.value = await queuedActions();
  // An accepted action may have taken a task off the kept list (here or in the service worker).
  const kept = await keptTasks().catch(() => undefined);
  if (kept) keepFirstScreen(kept);
};
onQueueChange(() => void reloadQueue());

/** Sends what is queued (when there is a session), then re-reads the list. */
export async function sendQueue(): Promise<void> {
  if (!session.value) return;
  await drainQueue(client.queueDeps);
  await reloadQueue();
}

/** Queues an action and tries to send it at once (it stays queued without a connection). */
export async function queueAction(action: Parameters<typeof enqueue>[0]): Promise<QueuedAction> {
  const item = await enqueue(action);
  void sendQueue();
  void requestBackgroundSync();
  return item;
}

/**
 * Background Sync where the browser has it: the service worker sends the queue when the connection
 * returns, even with the app closed. Only with a worker already active: `serviceWorker.ready` waits
 * until one is (the first start's precaching, forever if registration failed), and no action waits for it.
 */
async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    if (!registration?.active) return;
    const sync = (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } } | undefined)?.sync;
    await sync?.register('citygrid-field-queue');
  } catch {
    // No Background Sync (Safari, Firefox) or no worker yet: the online event and the next start send it.
  }
}

/** The queue is sent on app start, whenever the connection returns, and when the worker asks. */
export function startQueue(): void {
  void reloadQueue();
  void sendQueue();
  window.addEventListener('online', () => void sendQueue());
  navigator.serviceWorker?.addEventListener('message', (event) => {
    if (event.data === 'citygrid-field-queue-changed') void reloadQueue();
  });
}
