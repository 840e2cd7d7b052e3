import { getTable } from '#shared/data/db';
import { createCaseStore } from '#shared/data/case-store';
import { createEffectLedger, createOnceCounter } from '#shared/data/effect-ledger';
import { createPhotoStore } from '#shared/data/photo-store';
import { DEFAULT_ESCALATION_POLICY } from '#shared/domain/escalation/timer';
import type { EscalationDeps } from '#shared/domain/escalation/use-cases';
import type { EventDeps } from '#shared/domain/events/use-cases';
import { getConfig } from '#shared/config/index';
import { logger, redactDetails } from '#shared/observability/logger';
import { getIdentityStore } from './identity.ts';
import { getSmsSender, getTimerStarter, getTopicPublisher } from './messaging.ts';
import { cachedDepartments, getReferenceCache } from './reference-cache.ts';

let events: EventDeps | undefined;

/** The event processor's adapters, built once per container. */
export function getEventDeps(): EventDeps {
  events ??= {
    cases: createCaseStore(getTable(), cachedDepartments),
    users: getIdentityStore(),
    sms: getSmsSender(),
    topic: getTopicPublisher(),
    timers: getTimerStarter(),
    ledger: createEffectLedger(getTable(), undefined, { exclusive: getConfig().EFFECT_LEASES === 'exclusive' }),
    smsPrefixes: getConfig().SMS_ALLOWED_PREFIXES.split(','),
    photoFlags: {
      cases: createCaseStore(getTable(), cachedDepartments),
      photos: { store: createPhotoStore(getTable()) },
      farMetres: getConfig().PHOTO_FAR_METRES,
      countOnce: createOnceCounter(getTable()),
    },
    // Effect keys and failure reasons may name a caller's number (`…#sms#caller:+86…`): masked.
    log: (message, details) => logger.info(message, redactDetails(details ?? {})),
  };
  return events;
}

let escalation: EscalationDeps | undefined;

/** The escalation tasks' adapters (check / warn / escalate). */
export function getEscalationDeps(): EscalationDeps {
  escalation ??= {
    store: createCaseStore(getTable(), cachedDepartments),
    departments: () => getReferenceCache().departments(),
    calendar: () => getReferenceCache().calendar(),
    policy: getConfig().ESCALATION_POLICY ?? DEFAULT_ESCALATION_POLICY,
    now: () => new Date(),
  };
  return escalation;
}
