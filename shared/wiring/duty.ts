import { getConfig } from '#shared/config/index';
import { getTable } from '#shared/data/db';
import { createDutyStore } from '#shared/data/duty-store';
import { createAnswerMemory } from '#shared/data/remembered-answers';
import { createRollCallStore } from '#shared/data/roll-call-store';
import type { AnswerMemory } from '#shared/domain/cases/idempotency';
import type { RollCallDeps } from '#shared/domain/duty/roll-calls';
import type { DutyDeps } from '#shared/domain/duty/use-cases';
import type { SmsSender } from '#shared/domain/identity/ports';
import { logger, redactDetails } from '#shared/observability/logger';
import { getIdentityStore } from './identity.ts';
import { getReferenceCache } from './reference-cache.ts';

let deps: DutyDeps | undefined;

/** 考勤 · 轨迹: the duty store (retention from TRACK_RETENTION_DAYS), accounts, departments and grids, built once. */
export function getDutyDeps(): DutyDeps {
  if (!deps) {
    const cache = getReferenceCache();
    deps = {
      store: createDutyStore(getTable(), { retentionDays: getConfig().TRACK_RETENTION_DAYS }),
      users: getIdentityStore(),
      departments: () => cache.departments(),
      grids: () => cache.grids(),
      now: () => new Date(),
    };
  }
  return deps;
}

let memory: AnswerMemory | undefined;

/** Idempotency-Key answers of the duty routes (上班/下班, track points, a roll call's answer). */
export const getAnswerMemory = (): AnswerMemory => (memory ??= createAnswerMemory(getTable()));

let rollCalls: RollCallDeps | undefined;

/**
 * 点名: roll calls beside the duty store; `sms` only where the route sends one (calling the roll: its
 * function is granted SMS; answering and listing never send).
 */
export function getRollCallDeps(sms?: () => SmsSender): RollCallDeps {
  if (!rollCalls) {
    const duty = getDutyDeps();
    const config = getConfig();
    rollCalls = {
      store: createRollCallStore(getTable(), { retentionDays: config.TRACK_RETENTION_DAYS }),
      duty: duty.store,
      users: duty.users,
      departments: duty.departments,
      grids: duty.grids,
      sms: { send: (phone, message, options) => (sms ? sms().send(phone, message, options) : Promise.reject(new Error('This function sends no SMS'))) },
      smsPrefixes: config.SMS_ALLOWED_PREFIXES.split(','),
      minutes: config.ROLL_CALL_MINUTES,
      now: () => new Date(),
      log: (message, details) => logger.warn(message, redactDetails(details ?? {})),
    };
  }
  return rollCalls;
}
