import { randomBytes } from 'node:crypto';
import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createCaseStore } from '#shared/data/case-store';
import { createLiveStore } from '#shared/data/live-store';
import { createSessionCheck } from '#shared/domain/identity/session-check';
import type { LiveDeps, LiveSourceDeps } from '#shared/domain/live/use-cases';
import { apiGatewaySockets, localSockets } from '#shared/adapters/live-sockets';
import { logger } from '#shared/observability/logger';
import { getIdentityStore, getSessionStore } from './identity.ts';
import { cachedDepartments } from './reference.ts';

let routeDeps: Pick<LiveDeps, 'store' | 'now' | 'newTicket' | 'socketUrl'> | undefined;

/** What the two HTTP routes need (tickets, `missed`): the store only, no socket client in their bundles. */
export function getLiveRouteDeps() {
  routeDeps ??= {
    store: createLiveStore(getTable()),
    socketUrl: getConfig().LIVE_SOCKET_URL ?? '',
    newTicket: () => randomBytes(24).toString('hex'),
    now: () => new Date(),
  };
  return routeDeps;
}

let deps: LiveDeps | undefined;

/**
 * The live channel's adapters, built once per container. Sockets are judged on the account and session
 * as they are now (a session check without caches), not on the HTTP routes' cached view.
 */
export function getLiveDeps(): LiveDeps {
  if (!deps) {
    const config = getConfig();
    const users = getIdentityStore();
    const sessions = getSessionStore();
    const check = createSessionCheck({ getUser: (id) => users.getUser(id), getSession: (id) => sessions.getSession(id), now: () => Date.now(), userMaxAgeMs: 0, sessionMaxAgeMs: 0 });
    deps = {
      ...getLiveRouteDeps(),
      sockets: config.MESSAGE_TRANSPORT === 'outbox' ? localSockets() : apiGatewaySockets(required(config.LIVE_MANAGEMENT_ENDPOINT, 'LIVE_MANAGEMENT_ENDPOINT'), config.AWS_REGION),
      session: (claims) => check.isSessionActive(claims),
      log: (message, details) => logger.warn(message, details ?? {}),
    };
  }
  return deps;
}

let sources: LiveSourceDeps | undefined;

/** What the fan-out reads to make a case's live message: the case and the department tree. */
export function getLiveSourceDeps(): LiveSourceDeps {
  if (!sources) {
    const cases = createCaseStore(getTable(), cachedDepartments);
    sources = { getCase: (id) => cases.getCase(id), departments: cachedDepartments };
  }
  return sources;
}

const required = (value: string | undefined, name: string) => {
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
