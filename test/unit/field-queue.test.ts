import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The field app's queue (field/src/queue.ts) — its state machine on IndexedDB (fake-indexeddb: the same
 * API in Node): waiting → sending → sent (removed); refused on a 4xx (kept with the server's message,
 * edited with a new key or discarded, the queue goes on); retrying on a 5xx, a 429 or a photo still
 * being checked (409 PHOTO_PENDING), with backoff, the same key, the queue stopped behind it; waiting
 * again on a network error; oldest first. The browser test runs the same module in Chromium.
 */

/** The module's surface used here (the field app is typed by its own tsconfig, with the DOM). */
interface Photo { blob: unknown; photoKey?: string; capturedAt?: string }
interface Item {
  seq?: number;
  kind: string;
  title: string;
  caseId?: string;
  path: string;
  body: Record<string, unknown>;
  photos: Photo[];
  photoKind: 'before' | 'after';
  idempotencyKey: string;
  state: 'waiting' | 'sending' | 'retrying' | 'refused';
  attempts: number;
  nextAttemptAt?: number;
  error?: { status: number; code: string; message: string };
}
interface Deps {
  send(path: string, options: { method: string; body: unknown; idempotencyKey: string }): Promise<Response>;
  uploadPhoto(photo: Photo, kind: 'before' | 'after'): Promise<string>;
  accepted?(item: Item, answer: unknown): Promise<void> | void;
}
interface QueueModule {
  enqueue(action: Omit<Item, 'seq' | 'state' | 'attempts' | 'idempotencyKey'>): Promise<Item>;
  queuedActions(): Promise<Item[]>;
  drainQueue(deps: Deps, schedule?: boolean): Promise<number>;
  resubmit(item: Item, body: Record<string, unknown>): Promise<void>;
  discard(seq: number): Promise<void>;
  onQueueChange(listener: () => void): () => void;
  backoffMs(attempts: number, retryAfterSeconds?: number, photoPending?: boolean): number;
}
interface CacheModule {
  acceptedAction(item: Item, answer: unknown): Promise<void>;
  keptRollCallAnswers(): Promise<Array<{ id: string; insideArea?: boolean; onTime?: boolean; distanceToAreaMetres?: number | null }>>;
}
interface ErrorsModule {
  OfflineError: new () => Error;
}

const QUEUE = '../../field/src/queue.ts';
const ERRORS = '../../web-core/errors.ts';
const CACHE = '../../field/src/cache.ts';
let queue: QueueModule;
let cache: CacheModule;
let OfflineError: ErrorsModule['OfflineError'];

beforeAll(async () => {
  queue = (await import(/* @vite-ignore */ QUEUE)) as QueueModule;
  cache = (await import(/* @vite-ignore */ CACHE)) as CacheModule;
  ({ OfflineError } = (await import(/* @vite-ignore */ ERRORS)) as ErrorsModule);
});

afterEach(async () => {
  vi.useRealTimers();
  for (const item of await queue.queuedActions()) await queue.discard(item.seq!);
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const refusal = (status: number, code: string, message: string, headers: Record<string, string> = {}) => json(status, { error: { code, message, details: [] } }, headers);

const action = (path: string, photos: Photo[] = []) => ({ kind: 'complete', title: path, caseId: path, path, body: { note: path }, photos, photoKind: 'after' as const, createdAt: new Date().toISOString() });

/** A server answering each path from a script (the last answer repeats), recording what it got and the item's state then. */
function server(script: Record<string, Array<() => Response | Promise<Response>>> = {}) {
  const calls: Array<{ path: string; key: string; body: unknown; stateThen: string | undefined }> = [];
  const uploads: Photo[] = [];
  const accepted: unknown[] = [];
  const deps: Deps = {
    async send(path, options) {
      const stateThen = (await queue.queuedActions()).find((i) => i.path === path)?.state;
      calls.push({ path, key: options.idempotencyKey, body: options.body, stateThen });
      const answers = script[path] ?? [];
      const answer = answers.length > 1 ? answers.shift()! : answers[0];
      return answer ? answer() : json(200, { case: { id: path } });
    },
    async uploadPhoto(photo) {
      uploads.push(photo);
      return `photos/${uploads.length}.jpg`;
    },
    accepted: (_item, answer) => void accepted.push(answer),
  };
  return { deps, calls, uploads, accepted };
}

describe('the field app\'s queue', () => {
  it('sends an action waiting → sending → sent (removed), with its Idempotency-Key, and hands over the answer', async () => {
    const item = await queue.enqueue(action('/v1/cases/a/complete'));
    expect(item).toMatchObject({ state: 'waiting', attempts: 0, idempotencyKey: expect.stringMatching(/^[\w-]{16,}$/) });
    const { deps, calls, accepted } = server();
    expect(await queue.drainQueue(deps, false)).toBe(1);
    expect(calls).toEqual([{ path: '/v1/cases/a/complete', key: item.idempotencyKey, body: { note: '/v1/cases/a/complete' }, stateThen: 'sending' }]);
    expect(accepted).toEqual([{ case: { id: '/v1/cases/a/complete' } }]);
    expect(await queue.queuedActions()).toEqual([]);
  });

  it('keeps the order: oldest first, one at a time', async () => {
    for (const path of ['/1', '/2', '/3']) await queue.enqueue(action(path));
    const { deps, calls } = server();
    expect(await queue.drainQueue(deps, false)).toBe(3);
    expect(calls.map((c) => c.path)).toEqual(['/1', '/2', '/3']);
  });

  it('keeps a refused action (4xx) with the server\'s message and goes on; edited, it is sent again with a new key; or discarded', async () => {
    const first = await queue.enqueue(action('/refused'));
    await queue.enqueue(action('/next'));
    const { deps, calls } = server({ '/refused': [() => refusal(409, 'INVALID_TRANSITION', '案件已改派其他大队'), () => json(200, { case: {} })] });
    expect(await queue.drainQueue(deps, false)).toBe(1);
    expect(calls.map((c) => c.path)).toEqual(['/refused', '/next']);
    const [refused, ...rest] = await queue.queuedActions();
    expect(rest).toEqual([]);
    expect(refused).toMatchObject({ state: 'refused', idempotencyKey: first.idempotencyKey, error: { status: 409, code: 'INVALID_TRANSITION', message: '案件已改派其他大队' } });

    // A refused action is not sent again by itself, and does not hold up the actions taken after it.
    await queue.enqueue(action('/later'));
    expect(await queue.drainQueue(deps, false)).toBe(1);
    expect(calls.map((c) => c.path)).toEqual(['/refused', '/next', '/later']);

    await queue.resubmit(refused!, { note: '修改后的说明' });
    const [edited] = await queue.queuedActions();
    expect(edited).toMatchObject({ state: 'waiting', attempts: 0, body: { note: '修改后的说明' } });
    expect(edited!.idempotencyKey).not.toBe(first.idempotencyKey);
    expect(edited!.error).toBeUndefined();
    expect(await queue.drainQueue(deps, false)).toBe(1);
    expect(calls[3]).toMatchObject({ path: '/refused', key: edited!.idempotencyKey, body: { note: '修改后的说明' } });

    const other = await queue.enqueue(action('/discarded'));
    await queue.drainQueue(server({ '/discarded': [() => refusal(403, 'FORBIDDEN', '无权处置该案件')] }).deps, false);
    await queue.discard(other.seq!);
    expect(await queue.queuedActions()).toEqual([]);
  });

  it('retries a 5xx with backoff and the same key, and stops the queue behind it (nothing overtakes)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T10:00:00Z'));
    const first = await queue.enqueue(action('/busy'));
    await queue.enqueue(action('/after'));
    const { deps, calls } = server({ '/busy': [() => refusal(503, 'UNAVAILABLE', '服务繁忙'), () => json(200, { case: {} })] });
    expect(await queue.drainQueue(deps, false)).toBe(0);
    const [retrying] = await queue.queuedActions();
    expect(retrying).toMatchObject({ state: 'retrying', attempts: 1, nextAttemptAt: Date.now() + queue.backoffMs(1), error: { status: 503 } });
    expect(calls.map((c) => c.path)).toEqual(['/busy']);

    // Before its time: nothing is sent (the later action waits behind it).
    expect(await queue.drainQueue(deps, false)).toBe(0);
    expect(calls).toHaveLength(1);

    vi.setSystemTime(retrying!.nextAttemptAt! + 1);
    expect(await queue.drainQueue(deps, false)).toBe(2);
    expect(calls.map((c) => [c.path, c.key === first.idempotencyKey])).toEqual([['/busy', true], ['/busy', true], ['/after', false]]);
  });

  it('retries a photo still being checked (409 PHOTO_PENDING) after its Retry-After, with the photo uploaded once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T10:00:00Z'));
    await queue.enqueue(action('/photo', [{ blob: { type: 'image/jpeg', size: 3 } }]));
    const { deps, calls, uploads } = server({ '/photo': [() => refusal(409, 'PHOTO_PENDING', '照片正在检查', { 'retry-after': '2' }), () => json(200, { case: {} })] });
    expect(await queue.drainQueue(deps, false)).toBe(0);
    const [pending] = await queue.queuedActions();
    expect(pending).toMatchObject({ state: 'retrying', nextAttemptAt: Date.now() + 2000, photos: [{ photoKey: 'photos/1.jpg' }], error: { code: 'PHOTO_PENDING' } });
    vi.setSystemTime(pending!.nextAttemptAt!);
    expect(await queue.drainQueue(deps, false)).toBe(1);
    expect(uploads).toHaveLength(1);
    expect(calls.map((c) => c.body)).toEqual([
      { note: '/photo', photoKeys: ['photos/1.jpg'] },
      { note: '/photo', photoKeys: ['photos/1.jpg'] },
    ]);
  });

  it('puts an action back to waiting on a network error (no answer) and sends it again with the same key', async () => {
    const item = await queue.enqueue(action('/offline'));
    let online = false;
    const { deps, calls } = server({
      '/offline': [
        () => {
          if (!online) throw new OfflineError();
          return json(200, { case: {} });
        },
      ],
    });
    expect(await queue.drainQueue(deps, false)).toBe(0);
    expect(await queue.queuedActions()).toMatchObject([{ state: 'waiting', attempts: 1 }]);
    online = true;
    expect(await queue.drainQueue(deps, false)).toBe(1);
    expect(calls.map((c) => c.key)).toEqual([item.idempotencyKey, item.idempotencyKey]);
  });

  it('waits 2, 4 … 60 s between tries, 1 s for a photo being checked, or the server\'s Retry-After', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 12].map((n) => queue.backoffMs(n))).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(queue.backoffMs(3, undefined, true)).toBe(1000);
    expect(queue.backoffMs(3, 7)).toBe(7000);
  });

  it('keeps a roll call\'s answer where a page finds it on the next queue change, whoever sent it (the page or the service worker)', async () => {
    // The service worker's drain has no page listeners: what it accepted reaches the page through IndexedDB.
    const path = '/v1/me/roll-calls/rc-1/answer';
    await queue.enqueue({ kind: 'roll-call-answer', title: '点名应答', path, body: { location: { lat: 26.879, lng: 112.613 }, at: new Date().toISOString() }, photos: [], photoKind: 'before', createdAt: new Date().toISOString() } as never);
    const verdict = { id: 'rc-1', staffId: 's', sentAt: new Date().toISOString(), dueAt: new Date(Date.now() + 600_000).toISOString(), answeredAt: new Date().toISOString(), insideArea: false, distanceToAreaMetres: 420, onTime: true };
    const seen: unknown[] = [];
    const stop = queue.onQueueChange(() => void cache.keptRollCallAnswers().then((answers) => seen.push(answers.find((a) => a.id === 'rc-1'))));
    try {
      const { deps } = server({ [path]: [() => json(200, { rollCall: verdict })] });
      expect(await queue.drainQueue({ ...deps, accepted: cache.acceptedAction }, false)).toBe(1);
      expect(await cache.keptRollCallAnswers()).toEqual([expect.objectContaining({ id: 'rc-1', insideArea: false, distanceToAreaMetres: 420, onTime: true })]);
      await expect.poll(() => seen.at(-1)).toMatchObject({ id: 'rc-1', insideArea: false });
    } finally {
      stop();
    }
  });
});
