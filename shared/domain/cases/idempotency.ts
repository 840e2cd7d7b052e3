import { createHash } from 'node:crypto';
import { ConflictError } from '#shared/domain/errors';

/**
 * `Idempotency-Key` on the case writes a phone may send twice (a report, every lifecycle step): THE
 * mechanism, for creations and transitions alike.
 * - A key is scoped to the caller, the method and the path (`scope`, e.g. `POST /v1/cases/{id}/complete`
 *   with the case's id): the same key by another person or on another path is another key.
 * - Only a success is remembered: the record is written in the success's own transaction (created on
 *   condition that none exists), never for a refused or failed attempt, which may be retried with the
 *   same key. Records live {@link IDEMPOTENCY_TTL_SECONDS}.
 * - The same key with the same body (its hash) again → the success's answer, with the case as it is now;
 *   with another body → 409 CONFLICT.
 */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** Reports are scoped to their creation (an Open311 client's key is its API key's: another caller). */
export const REPORT_SCOPE = 'POST /v1/cases';

/** The request a key names: whose, where, and the hash of what it asked. */
export interface IdempotencyClaim {
  callerId: string;
  /** Method and path (`POST /v1/cases/{id}/complete`, with the id). */
  scope: string;
  key: string;
  bodyHash: string;
}

/** What a remembered success says: the case it created or changed, and its body's hash. */
export interface IdempotencyRecord {
  caseId: string;
  bodyHash: string;
}

/** SHA-256 (base64url) of a request body as validated. */
export const hashBody = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('base64url');

/** A key used again: with the same body it is a replay (true), with another it is a 409. */
export function isReplayOf(seen: Pick<IdempotencyRecord, 'bodyHash'>, claim: Pick<IdempotencyClaim, 'bodyHash'>): true {
  if (seen.bodyHash !== claim.bodyHash) throw new ConflictError('This Idempotency-Key was used with a different request body', 'CONFLICT', { id: 'idempotency.other-body' });
  return true;
}

/**
 * The same mechanism for routes whose answer is not a case (上班/下班, track points, a roll call's
 * answer): the 2xx itself is remembered under the key, right after the success. Those writes are
 * harmless to repeat (each route's own rules make a replay a no-op), so a crash between the success
 * and the record only means that a replay does it again — never twice in effect.
 */
export interface RememberedAnswer {
  bodyHash: string;
  status: number;
  body: unknown;
}

export interface AnswerMemory {
  recall(claim: Pick<IdempotencyClaim, 'callerId' | 'scope' | 'key'>): Promise<RememberedAnswer | undefined>;
  /** Remembers the answer for {@link IDEMPOTENCY_TTL_SECONDS} unless one is remembered already (the first stays). */
  remember(claim: IdempotencyClaim, answer: { status: number; body: unknown }): Promise<void>;
}

/**
 * Runs `attempt` once per key: a remembered answer for the same body is answered again (the same 2xx,
 * nothing done), for another body 409 CONFLICT; a refusal (an error) is never remembered. Without a
 * key, `attempt` simply runs.
 */
export async function answerOnce<T extends { status: number; body: unknown }>(
  memory: AnswerMemory,
  claim: IdempotencyClaim | undefined,
  attempt: () => Promise<T>,
): Promise<{ status: number; body: unknown }> {
  if (!claim) return attempt();
  const seen = await memory.recall(claim);
  if (seen && isReplayOf(seen, claim)) return { status: seen.status, body: seen.body };
  const answer = await attempt();
  await memory.remember(claim, answer);
  return answer;
}
