import type { Session } from './session.ts';

/**
 * The session as all tabs see it, in IndexedDB. localStorage is not enough for the refresh: Chromium
 * gives each renderer process a cached copy that learns of other tabs' writes asynchronously, so a tab
 * that takes the refresh lock right after another tab rotated the token could still read the spent
 * refresh token — and using it twice revokes the session. IndexedDB transactions go through the browser
 * process in order: a write committed before the lock is released is what the next holder reads.
 */
const DB_NAME = 'citygrid-m';
const STORE = 'session';
const KEY = 'current';

let opening: Promise<IDBDatabase | undefined> | undefined;

function open(): Promise<IDBDatabase | undefined> {
  opening ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(undefined);
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    // Private modes may refuse IndexedDB: the page then works from localStorage alone.
    request.onerror = () => resolve(undefined);
    request.onblocked = () => resolve(undefined);
  });
  return opening;
}

/** The shared session, or undefined when there is none (or no IndexedDB). */
export async function readSharedSession(): Promise<Session | undefined> {
  const db = await open();
  if (!db) return undefined;
  return new Promise((resolve) => {
    const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY);
    request.onsuccess = () => resolve(request.result as Session | undefined);
    request.onerror = () => resolve(undefined);
  });
}

/** Writes (or, with undefined, deletes) the shared session; resolves once the write is committed. */
export async function writeSharedSession(value: Session | undefined): Promise<void> {
  const db = await open();
  if (!db) return;
  await new Promise<void>((resolve) => {
    const tx = db.transaction(STORE, 'readwrite');
    if (value) tx.objectStore(STORE).put(value, KEY);
    else tx.objectStore(STORE).delete(KEY);
    tx.oncomplete = () => resolve();
    tx.onerror = () => resolve();
    tx.onabort = () => resolve();
  });
}
