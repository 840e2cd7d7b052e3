import { browserSession, sessionFrom as coreSessionFrom, type Session as CoreSession, type User as CoreUser } from '../../web-core/session.ts';

/** The signed-in citizen as `GET /v1/me` and the login routes describe them. */
export type User = CoreUser;
export type Session = CoreSession<User>;

/**
 * The page's session on the shared core (web-core/session.ts): localStorage `citygrid.m.session` for this
 * tab (read synchronously at start), IndexedDB `citygrid-m` for all tabs (the refresh reads it under the lock).
 */
export const holder = browserSession<User>('citygrid.m.session', 'citygrid-m');

/** The current session, reactive for the page; other tabs' changes arrive through `storage` events. */
export const session = holder.session;
export const saveSession = (value: Session): Promise<void> => holder.save(value);
export const clearSession = (): Promise<void> => holder.clear();
/** From a login / register / refresh answer. */
export const sessionFrom = (answer: Parameters<typeof coreSessionFrom<User>>[0], previous?: Session): Session => coreSessionFrom<User>(answer, previous);
