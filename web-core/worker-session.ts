import { sharedSessionStore } from './shared-session.ts';
import type { Session, SessionHolder, User } from './session.ts';

/**
 * A service worker's session: no localStorage there, so the shared IndexedDB copy is the only one —
 * `load()` reads it before the worker calls the API.
 */
export function workerSession<U extends User = User>(dbName: string): SessionHolder<U> & { load(): Promise<Session<U> | undefined> } {
  const shared = sharedSessionStore<Session<U>>(dbName);
  let value: Session<U> | undefined;
  return {
    shared,
    async load() {
      value = await shared.read();
      return value;
    },
    current: () => value,
    async save(next) {
      value = next;
      await shared.write(next);
    },
    async clear() {
      value = undefined;
      await shared.write(undefined);
    },
    adopt(next) {
      value = next;
    },
    reload: () => value,
  };
}
