import type { Case, CaseEvent } from '#shared/domain/cases/model';
import type { TimerRef } from '#shared/domain/escalation/use-cases';
import type { User } from '#shared/domain/identity/model';
import type { SmsSender } from '#shared/domain/identity/ports';
import { reactionsTo, type CaseEventMessage, type Recipient } from './reactions.ts';

export interface TopicPublisher {
  /** Publishes one message to the `case-events` topic with filterable attributes. */
  publish(message: CaseEventMessage): Promise<void>;
}

export interface TimerStarter {
  /** Starts the deadline timer execution named after `ref`; an existing one of that name is left alone. */
  start(ref: TimerRef): Promise<void>;
}

/**
 * Effects already done, by key. `claim` is atomic (true for the first caller only); `release` gives a
 * claim back when its effect failed, so the redelivered record tries again.
 */
export interface EffectLedger {
  claim(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
}

export interface EventDeps {
  cases: { getCase(id: string): Promise<Case | undefined> };
  users: { getUser(id: string): Promise<User | undefined>; listDepartmentStaff(departmentId: string): Promise<User[]> };
  sms: SmsSender;
  topic: TopicPublisher;
  timers: TimerStarter;
  ledger: EffectLedger;
  log: (message: string, details?: Record<string, unknown>) => void;
}

/** Runs `effect` once per key: claimed first; a failure releases the claim and rethrows (the record is retried). */
async function once(deps: EventDeps, key: string, effect: () => Promise<void>): Promise<boolean> {
  if (!(await deps.ledger.claim(key))) return false;
  try {
    await effect();
    return true;
  } catch (error) {
    await deps.ledger.release(key).catch(() => undefined);
    throw error;
  }
}

async function phonesOf(deps: EventDeps, c: Case, to: Recipient): Promise<Array<{ key: string; phone: string }>> {
  switch (to.kind) {
    case 'caller':
      return c.callerPhone ? [{ key: 'caller', phone: c.callerPhone }] : [];
    case 'reporter': {
      const user = c.reporterId ? await deps.users.getUser(c.reporterId) : undefined;
      return user && user.status === 'active' ? [{ key: `user:${user.id}`, phone: user.phone }] : [];
    }
    case 'user': {
      const user = await deps.users.getUser(to.userId);
      return user && user.status === 'active' ? [{ key: `user:${user.id}`, phone: user.phone }] : [];
    }
    case 'dispatchers': {
      const staff = await deps.users.listDepartmentStaff(to.departmentId);
      return staff.filter((u) => u.status === 'active' && u.roles.includes('dispatcher')).map((u) => ({ key: `user:${u.id}`, phone: u.phone }));
    }
  }
}

/**
 * The event processor's work for one new timeline event: start the deadline timer (dispatch, rework),
 * send the SMS (citizen feedback, warnings, escalations) and publish to `case-events`. Each effect is
 * keyed by `{caseId}.{seq}` and its kind, so a stream record delivered twice does each thing once.
 */
export async function processCaseEvent(deps: EventDeps, event: CaseEvent): Promise<{ done: string[] }> {
  const c = await deps.cases.getCase(event.caseId);
  if (!c) {
    deps.log('event of an unknown case skipped', { caseId: event.caseId, seq: event.seq });
    return { done: [] };
  }
  const reactions = reactionsTo(c, event);
  const base = `${event.caseId}.${event.seq}`;
  const done: string[] = [];
  if (reactions.startTimer && (await once(deps, `${base}#timer`, () => deps.timers.start({ caseId: c.id, timerSeq: event.seq })))) done.push('timer');
  for (const message of reactions.sms) {
    for (const { key, phone } of await phonesOf(deps, c, message.to)) {
      if (await once(deps, `${base}#sms#${key}`, () => deps.sms.send(phone, message.text))) done.push(`sms:${message.to.kind}`);
    }
  }
  if (await once(deps, `${base}#publish`, () => deps.topic.publish(reactions.publish))) done.push('publish');
  return { done };
}
