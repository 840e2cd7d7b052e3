import { browserSession, sessionFrom, type Session as CoreSession } from '../../../web-core/session.ts';
import type { Session, User } from './types';

/** What this browser keeps of a login (web-core/session.ts). */
export type StoredSession = CoreSession<User>;

/**
 * The console's session on the shared core: localStorage `citygrid.console.session` for this tab (the
 * expiry under `expiresAt`, as the console always stored it) and IndexedDB `citygrid-console` for all
 * tabs, which the refresh reads under the Web Lock.
 */
export const holder = browserSession<User>('citygrid.console.session', 'citygrid-console', { expiryKey: 'expiresAt' });

/** The current session, reactive; another tab's login, refresh or logout shows up here too. */
export const session = holder.session;

export const saveSession = (value: StoredSession): Promise<void> => holder.save(value);
export const clearSession = (): Promise<void> => holder.clear();
export const sessionFromLogin = (body: Session): StoredSession => sessionFrom<User>(body);
