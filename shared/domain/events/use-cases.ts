import { setTimeout as sleep } from 'node:timers/promises';
import type { Case, CaseEvent, Follower } from '#shared/domain/cases/model';
import { completionPhotoCounters } from '#shared/domain/cases/photo-checks';
import type { CounterDelta } from '#shared/domain/cases/ports';
import type { PhotoStore } from '#shared/domain/photos/use-cases';
import type { TimerRef } from '#shared/domain/escalation/use-cases';
import type { User } from '#shared/domain/identity/model';
import type { EffectSendOptions, SmsSender } from '#shared/domain/identity/ports';
import { reactionsTo, type CaseEventMessage, type Recipient } from './reactions.ts';

export interface TopicPublisher {
  /** Publishes one message to the `case-events` topic with filterable attributes. */
  publish(message: CaseEventMessage, options?: EffectSendOptions): Promise<void>;
}

export interface TimerStarter {
  /** Starts the deadline timer execution named after `ref`; an existing one of that name is left alone. */
  start(ref: TimerRef): Promise<void>;
}

/**
 * Effects by key, with a lease. `claim` answers `claimed` (do it now, then `complete` — or `release` if
 * it failed), `done` (it happened) or `busy` (another delivery holds a live lease). A holder that
 * crashed leaves a lease that expires, so a later delivery takes over: no effect is lost for good.
 */
export interface EffectLedger {
  claim(key: string): Promise<'claimed' | 'done' | 'busy'>;
  complete(key: string): Promise<void>;
  release(key: string): Promise<void>;
}

/** An effect that can never succeed (e.g. an invalid phone number): logged and not retried. */
export class PermanentEffectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEffectError';
  }
}

/** Another delivery of the same record is doing this effect right now: retry the record later. */
export class EffectBusyError extends Error {
  constructor(key: string) {
    super(`Effect ${key} is being done by another delivery`);
    this.name = 'EffectBusyError';
  }
}

export interface EventDeps {
  cases: { getCase(id: string): Promise<Case | undefined>; listFollowers(caseId: string): Promise<Follower[]> };
  users: { getUser(id: string): Promise<User | undefined>; listDepartmentStaff(departmentId: string): Promise<User[]> };
  sms: SmsSender;
  topic: TopicPublisher;
  timers: TimerStarter;
  ledger: EffectLedger;
  /** E.164 prefixes SMS may go to (`SMS_ALLOWED_PREFIXES`); other numbers are never texted. */
  smsPrefixes: readonly string[];
  /**
   * 照片存疑 counts on `complete` (absent: not counted, e.g. in tests of other effects): the case's
   * timeline and the photo records to check, and the counter write, done once per key — the key's
   * record and the counters in one transaction (false: counted already).
   */
  photoFlags?: {
    cases: { getCaseWithTimeline(id: string): Promise<{ case: Case; timeline: CaseEvent[] } | undefined> };
    photos: { store: Pick<PhotoStore, 'getMany'> };
    farMetres?: number | undefined;
    countOnce(key: string, counters: CounterDelta[]): Promise<boolean>;
  };
  log: (message: string, details?: Record<string, unknown>) => void;
}

/** How long a delivery waits for another delivery's live lease before giving the record back (< the function's timeout). */
const BUSY_WAIT_MS = 25_000;

/** A claim of `key`; while another delivery holds a live lease, waits for it to end (it is taken over then). */
async function claimWaiting(deps: EventDeps, key: string) {
  const until = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    const claim = await deps.ledger.claim(key);
    if (claim !== 'busy' || Date.now() >= until) return claim;
    await sleep(1000);
  }
}

/** Marks an effect done, a few times if need be: a claim left pending would hold up the next delivery. */
async function markDone(deps: EventDeps, key: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.ledger.complete(key);
    } catch (error) {
      // Still pending after this: the worst case is the effect once more after the lease (never lost).
      if (attempt >= 3) return deps.log('could not mark an effect done', { key, error: (error as Error).name });
      await sleep(100 * attempt);
    }
  }
}

/**
 * Runs `effect` once per key: claimed first, marked done after. A failure releases the claim and
 * rethrows (the record is retried); a permanent failure is logged and counted as done.
 */
async function once(deps: EventDeps, key: string, effect: (options: EffectSendOptions) => Promise<void>): Promise<boolean> {
  const claim = await claimWaiting(deps, key);
  if (claim === 'done') return false;
  if (claim === 'busy') throw new EffectBusyError(key);
  try {
    // The key goes along: a holder that crashed after sending but before `complete` left the effect
    // pending, and a transport that can keep one message per key (the local outbox) does not repeat it.
    await effect({ effectKey: key });
  } catch (error) {
    if (error instanceof PermanentEffectError) {
      deps.log('effect failed permanently; not retried', { key, reason: error.message });
      await markDone(deps, key);
      return false;
    }
    // If the release fails too, the lease runs out and a later delivery takes the effect over.
    await deps.ledger.release(key).catch(() => undefined);
    throw error;
  }
  await markDone(deps, key);
  return true;
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
    case 'followers':
      return followerPhones(deps, c);
  }
}

/**
 * The phones of a case's followers: supporters, and for each merged case its caller or reporter and its
 * own followers (a case merged into one that was merged later). Keys as for other recipients, so nobody
 * is texted twice for one event (the reporter of the case itself included).
 */
async function followerPhones(deps: EventDeps, c: Case): Promise<Array<{ key: string; phone: string }>> {
  const phones = new Map<string, string>();
  const userIds = new Set<string>();
  const seen = new Set<string>([c.id]);
  const visit = async (caseId: string) => {
    for (const f of await deps.cases.listFollowers(caseId)) {
      if (f.kind === 'user') userIds.add(f.userId);
      else if (f.kind === 'caller') phones.set(`caller:${f.phone}`, f.phone);
      else if (!seen.has(f.caseId)) {
        seen.add(f.caseId);
        const merged = await deps.cases.getCase(f.caseId);
        if (merged?.callerPhone) phones.set(`caller:${merged.callerPhone}`, merged.callerPhone);
        else if (merged?.reporterId) userIds.add(merged.reporterId);
        await visit(f.caseId);
      }
    }
  };
  await visit(c.id);
  for (const userId of userIds) {
    const user = await deps.users.getUser(userId);
    if (user && user.status === 'active') phones.set(`user:${user.id}`, user.phone);
  }
  // The case's own 12345 caller is texted as `caller` already.
  if (c.callerPhone) phones.delete(`caller:${c.callerPhone}`);
  return [...phones].map(([key, phone]) => ({ key, phone }));
}

/**
 * The event processor's work for one new timeline event: start the deadline timer (dispatch, rework),
 * count a completion's flagged after photos, send the SMS (citizen feedback, warnings, escalations) and
 * publish to `case-events`. Each effect is
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
  // The topic first (the center's console and the hotline callbacks must not wait on an SMS), then the
  // timer, then the texts.
  if (await once(deps, `${base}#publish`, (options) => deps.topic.publish(reactions.publish, options))) done.push('publish');
  if (reactions.startTimer && (await once(deps, `${base}#timer`, () => deps.timers.start({ caseId: c.id, timerSeq: event.seq })))) done.push('timer');
  if (event.action === 'complete' && event.photoKeys?.length && deps.photoFlags && (await countPhotoFlags(deps.photoFlags, event, `${base}#photo-flags`))) done.push('photo-flags');
  for (const message of reactions.sms) {
    const recipients = await phonesOf(deps, c, message.to);
    if (recipients.length === 0) deps.log('SMS has no recipient', { caseId: c.id, seq: event.seq, action: event.action, to: message.to.kind });
    for (const { key, phone } of recipients) {
      // Kept, never texted: e.g. a 12345 caller from abroad (the complaint is real; the SMS fraud guard holds).
      if (!deps.smsPrefixes.some((prefix) => phone.startsWith(prefix))) {
        deps.log('SMS not sent: number outside SMS_ALLOWED_PREFIXES', { caseId: c.id, seq: event.seq, action: event.action, to: message.to.kind });
        continue;
      }
      if (await once(deps, `${base}#sms#${key}`, (options) => deps.sms.send(phone, message.message, options))) done.push(`sms:${message.to.kind}`);
    }
  }
  return { done };
}

/**
 * 照片存疑 of a completion, counted for its handler and department (shared/domain/cases/photo-checks.ts):
 * the checks read the case's timeline (for the dispatch time) and the photo records; the counters and
 * the key's record are one transaction, so a redelivered or replayed event never counts twice.
 */
async function countPhotoFlags(deps: NonNullable<EventDeps['photoFlags']>, event: CaseEvent, key: string): Promise<boolean> {
  const found = await deps.cases.getCaseWithTimeline(event.caseId);
  if (!found) return false;
  const counters = await completionPhotoCounters({ photos: deps.photos, photoFarMetres: deps.farMetres }, found.case, found.timeline, event);
  return counters.length > 0 && deps.countOnce(key, counters);
}
