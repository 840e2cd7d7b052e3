import { UnauthenticatedError, ValidationError } from '#shared/domain/errors';
import type { SessionClaims, SessionState } from '#shared/domain/identity/session-check';
import type { Role } from '#shared/domain/roles';
import type { Case } from '#shared/domain/cases/model';
import type { CaseEventMessage } from '#shared/domain/events/reactions';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import { caseLiveMessage, LIVE_ID_PATTERN, liveIdTime, liveTypeOf, publicLiveMessage, type LiveEnvelope, type LiveMessage, type StoredLiveMessage } from './messages.ts';
import { hears, mayUseLive, type LiveViewer } from './scope.ts';

/** A ticket lives this long (seconds): the console asks for one right before it opens the socket. */
export const TICKET_SECONDS = 60;
/** Stored messages are kept this long (the table's TTL); `missed` reads at most the last hour. */
export const MESSAGE_KEEP_SECONDS = 3 * 3600;
export const MISSED_WINDOW_MS = 3600_000;
/**
 * `missed` also returns the messages of this margin before `since`: one made a moment before `since`
 * but delivered after it (another case's slower lane) is not lost; the console drops the repeats.
 */
export const LATE_MARGIN_MS = 30_000;
/** At most this many messages per `missed` answer (a 200-report burst fits several times). */
export const MISSED_LIMIT = 1000;
/** API Gateway closes a WebSocket after 2 h; a connection item outlives that a little (TTL). */
export const CONNECTION_KEEP_SECONDS = 2 * 3600 + 600;

/** A single-use ticket for opening a socket (browsers cannot send headers on a WebSocket). */
export interface LiveTicket {
  ticket: string;
  userId: string;
  sessionId: string;
  /** Epoch seconds (the table's TTL attribute; also checked when it is taken). */
  expiresAt: number;
}

/** An open socket: whose, in which session, with the roles and department it was checked with. */
export interface LiveConnection extends LiveViewer {
  connectionId: string;
  sessionId: string;
  roles: Role[];
  connectedAt: string;
  /** Epoch seconds (TTL). */
  expiresAt: number;
}

export interface LiveStore {
  putTicket(ticket: LiveTicket): Promise<void>;
  /** Deletes the ticket if it exists and has not expired, and returns it; undefined otherwise (used, unknown, expired). */
  takeTicket(ticket: string, nowSeconds: number): Promise<LiveTicket | undefined>;
  putConnection(connection: LiveConnection): Promise<void>;
  deleteConnection(connectionId: string): Promise<void>;
  connections(): Promise<LiveConnection[]>;
  /** Idempotent: the same message (same id) stored twice is one item. */
  putMessage(message: StoredLiveMessage, expiresAt: number): Promise<void>;
  /** Messages made from `fromMs` to `toMs` (by their ids' time), oldest first (at most `limit`). */
  messagesFrom(fromMs: number, toMs: number, limit: number): Promise<StoredLiveMessage[]>;
}

/** Sends to sockets by connection id: API Gateway's management API in the cloud, the `ws` server locally. */
export interface SocketSender {
  /** `gone`: the socket no longer exists (410); anything else failing throws. */
  send(connectionId: string, data: string): Promise<'sent' | 'gone'>;
  close(connectionId: string): Promise<void>;
}

export interface LiveDeps {
  store: LiveStore;
  sockets: SocketSender;
  /** The session check without caches: a socket is judged on the account and session as they are now. */
  session(claims: SessionClaims): Promise<SessionState>;
  /** The WebSocket URL a ticket is for. */
  socketUrl: string;
  newTicket(): string;
  now(): Date;
  log(message: string, details?: Record<string, unknown>): void;
}

/** Sending to some sockets failed (not because they were gone): the message is delivered again (ids make repeats harmless). */
export class LiveDeliveryError extends Error {
  constructor(readonly failed: number) {
    super(`${failed} socket(s) failed`);
    this.name = 'LiveDeliveryError';
  }
}

/**
 * `POST /v1/live/tickets`:
 * 1. the caller is staff in a session (the route's roles; the token names the session);
 * 2. a random ticket is stored for 60 s, bound to the user and the session;
 * 3. answered with the socket URL.
 */
export async function issueTicket(deps: Pick<LiveDeps, 'store' | 'now' | 'newTicket' | 'socketUrl'>, principal: { userId: string; sessionId?: string | undefined }) {
  if (!principal.sessionId) throw new UnauthenticatedError('The session has ended; log in again', { id: 'auth.session-ended' });
  const ticket = deps.newTicket();
  const expiresAt = Math.floor(deps.now().getTime() / 1000) + TICKET_SECONDS;
  await deps.store.putTicket({ ticket, userId: principal.userId, sessionId: principal.sessionId, expiresAt });
  return { url: deps.socketUrl, ticket, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

/**
 * `$connect`:
 * 1. the ticket is taken (a conditional delete: a second use finds nothing);
 * 2. its session and account are checked as they are now, and the account must be staff;
 * 3. the connection is stored with the account's roles and department (its scope) and a TTL.
 */
export async function openConnection(deps: LiveDeps, connectionId: string, ticket: string | undefined): Promise<LiveConnection> {
  const now = deps.now();
  const taken = ticket ? await deps.store.takeTicket(ticket, Math.floor(now.getTime() / 1000)) : undefined;
  if (!taken) throw new UnauthenticatedError('The live ticket is invalid, used or expired', { id: 'live.ticket-invalid' });
  const state = await deps.session({ userId: taken.userId, sessionId: taken.sessionId });
  if (!state.active || !mayUseLive(state.user.roles)) throw new UnauthenticatedError('The session has ended; log in again', { id: 'auth.session-ended' });
  const connection: LiveConnection = {
    connectionId,
    userId: state.user.id,
    sessionId: taken.sessionId,
    roles: state.user.roles,
    ...(state.user.departmentId ? { departmentId: state.user.departmentId } : {}),
    connectedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + CONNECTION_KEEP_SECONDS,
  };
  await deps.store.putConnection(connection);
  return connection;
}

/** `$disconnect`: the connection is forgotten. */
export async function closeConnection(deps: LiveDeps, connectionId: string): Promise<void> {
  await deps.store.deleteConnection(connectionId);
}

/**
 * The fan-out of one message:
 * 1. it is stored (for `missed`; the same id twice is one item);
 * 2. every open connection whose scope takes it gets it;
 * 3. a gone socket's connection is removed; any other failure is thrown after the rest were sent (the
 *    topic delivers again, the effects' dead-letter path keeps what never goes through).
 */
export async function fanOut(deps: LiveDeps, message: StoredLiveMessage): Promise<{ sent: number; gone: number }> {
  const now = deps.now();
  await deps.store.putMessage(message, Math.floor(now.getTime() / 1000) + MESSAGE_KEEP_SECONDS);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const targets = (await deps.store.connections()).filter((c) => c.expiresAt > nowSeconds && hears(c, message.audience));
  const data = JSON.stringify(publicLiveMessage(message));
  let sent = 0;
  let gone = 0;
  let failed = 0;
  await Promise.all(
    targets.map(async (c) => {
      try {
        if ((await deps.sockets.send(c.connectionId, data)) === 'gone') {
          gone++;
          await deps.store.deleteConnection(c.connectionId);
        } else sent++;
      } catch (error) {
        failed++;
        deps.log('live message not sent', { connectionId: c.connectionId, messageId: message.id, error: (error as Error).name });
      }
    }),
  );
  if (failed > 0) throw new LiveDeliveryError(failed);
  return { sent, gone };
}

/**
 * `GET /v1/live/missed?since=`: the messages after `since` (and those of {@link LATE_MARGIN_MS} before it),
 * at most an hour old, that the caller may hear — read with its scope now, oldest first.
 */
export async function missedMessages(deps: Pick<LiveDeps, 'store' | 'now'>, viewer: LiveViewer, since: string): Promise<{ items: LiveMessage[] }> {
  if (!LIVE_ID_PATTERN.test(since)) throw new ValidationError('since is not a message id', [{ path: 'since', message: 'A message id' }]);
  const now = deps.now().getTime();
  const from = Math.max(liveIdTime(since) - LATE_MARGIN_MS, now - MISSED_WINDOW_MS);
  const stored = await deps.store.messagesFrom(from, now, MISSED_LIMIT);
  return { items: stored.filter((m) => m.id !== since && hears(viewer, m.audience)).map(publicLiveMessage) };
}

/**
 * 会话复查 — every open socket, at least once a minute: closed (and forgotten) when its session ended, its
 * account was disabled or no longer holds a live role, or its roles or department changed (the console
 * opens a new socket with a new ticket, and so the new scope).
 */
export async function recheckConnections(deps: LiveDeps): Promise<{ checked: number; closed: number }> {
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  const connections = await deps.store.connections();
  let closed = 0;
  await Promise.all(
    connections.map(async (c) => {
      const state = c.expiresAt > nowSeconds ? await deps.session({ userId: c.userId, sessionId: c.sessionId }) : undefined;
      const same = state?.active && mayUseLive(state.user.roles) && sameRoles(state.user.roles, c.roles) && state.user.departmentId === c.departmentId;
      if (same) return;
      closed++;
      await deps.sockets.close(c.connectionId).catch((error: Error) => deps.log('live socket not closed', { connectionId: c.connectionId, error: error.name }));
      await deps.store.deleteConnection(c.connectionId);
    }),
  );
  return { checked: connections.length, closed };
}

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));

/** What the fan-out reads to turn a `case-events` message into a live message. */
export interface LiveSourceDeps {
  getCase(id: string): Promise<Case | undefined>;
  departments(): Promise<Pick<DepartmentTree, 'get' | 'ancestors'>>;
}

/**
 * The live message of a topic message: a route's own (`live`) as published, a timeline event's made
 * from the case as it is now; undefined when the channel does not carry it (or the case is gone).
 */
export async function liveMessageOf(deps: LiveSourceDeps, topic: CaseEventMessage | LiveEnvelope): Promise<StoredLiveMessage | undefined> {
  if (topic.type === 'live') return topic.message;
  if (!liveTypeOf(topic.action)) return undefined;
  const c = await deps.getCase(topic.caseId);
  return c ? caseLiveMessage(topic, c, await deps.departments()) : undefined;
}
