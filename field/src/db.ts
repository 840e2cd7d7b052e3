/**
 * What the field app keeps on the phone, in IndexedDB `citygrid-field-data` (readable by the pages and
 * the service worker alike):
 * - `kv`: the task list, each task's case details, the category catalogue and the grids (JSON, by key);
 * - `photos`: before photos as blobs by `photoKey` (the API's view URLs expire after 300 s);
 * - `queue`: actions taken on the phone and not yet accepted by the server, in the order they were taken
 *   (auto-increment `seq`), with their photos as blobs.
 */
const DB_NAME = 'citygrid-field-data';
const VERSION = 1;

let opening: Promise<IDBDatabase> | undefined;

export function openDb(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv');
      if (!db.objectStoreNames.contains('photos')) db.createObjectStore('photos');
      if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      opening = undefined;
      reject(request.error);
    };
  });
  return opening;
}

type StoreName = 'kv' | 'photos' | 'queue';

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Runs `work` in one transaction and resolves with its result once the transaction has committed. */
export async function tx<T>(stores: StoreName | StoreName[], mode: IDBTransactionMode, work: (t: IDBTransaction) => Promise<T> | T): Promise<T> {
  const db = await openDb();
  const t = db.transaction(stores, mode);
  const committed = new Promise<void>((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error ?? new Error('transaction aborted'));
  });
  const result = await work(t);
  await committed;
  return result;
}

export const getKv = <T>(key: string) => tx('kv', 'readonly', (t) => done(t.objectStore('kv').get(key)) as Promise<T | undefined>);
export const putKv = (key: string, value: unknown) => tx('kv', 'readwrite', (t) => void t.objectStore('kv').put(value, key));
export const deleteKv = (key: string) => tx('kv', 'readwrite', (t) => void t.objectStore('kv').delete(key));

export const getPhoto = (photoKey: string) => tx('photos', 'readonly', (t) => done(t.objectStore('photos').get(photoKey)) as Promise<Blob | undefined>);
export const putPhoto = (photoKey: string, blob: Blob) => tx('photos', 'readwrite', (t) => void t.objectStore('photos').put(blob, photoKey));
export const photoKeysKept = () => tx('photos', 'readonly', (t) => done(t.objectStore('photos').getAllKeys()) as Promise<string[]>);
export const deletePhotos = (keys: string[]) =>
  tx('photos', 'readwrite', (t) => {
    for (const key of keys) t.objectStore('photos').delete(key);
  });

export { done };
