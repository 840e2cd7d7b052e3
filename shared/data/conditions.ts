import { BusyError, ValidationError } from '#shared/domain/errors';
import type { TransactionOutcome } from './operations.ts';

/** True when a DynamoDB error is a failed write condition (not a fault). */
export function isConditionFailure(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const name = (e as { name?: string }).name;
    if (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException') return true;
  }
  return false;
}

/**
 * Runs a transaction again (with jittered backoff) when DynamoDB cancelled it only because another
 * transaction touched the same items at the same time (`TransactionConflict`), which real DynamoDB does
 * under contention. A failed condition is an answer, not a conflict, and is returned at once.
 */
export async function withConflictRetry<T extends TransactionOutcome>(run: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const result = await run();
    if (!onlyConflicts(result) || attempt >= attempts) return result;
    // Exponential backoff with full jitter: 0–25 ms, 0–50 ms, … (hot counter items see short bursts).
    await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** (attempt - 1)));
  }
}

const codesOf = (result: TransactionOutcome) => (result.canceled ? Object.values<string | undefined>(result.codes) : []);

/** True when a cancelled transaction failed only on contention (after retries), not on a condition. */
export const onlyConflicts = (result: TransactionOutcome) => codesOf(result).includes('TransactionConflict') && !codesOf(result).includes('ConditionalCheckFailed');

/** The names of the writes whose condition failed. */
export const failedWrites = <K extends string>(result: TransactionOutcome<K>): Set<K> =>
  new Set(result.canceled ? (Object.entries(result.codes) as Array<[K, string | undefined]>).filter(([, code]) => code === 'ConditionalCheckFailed').map(([name]) => name) : []);

/** Throws 503 BUSY when a cancelled transaction failed only on contention; otherwise does nothing. */
export function throwIfOnlyConflicts(result: TransactionOutcome): void {
  if (onlyConflicts(result)) throw new BusyError();
}

/** The cancellation codes by write, for an error message. */
export const describeCancellation = (result: TransactionOutcome) => JSON.stringify(result.canceled ? result.codes : {});

/** Runs a paginated read; a cursor that is not ours (malformed, or for another query) is a 400, not a 500. */
export async function withCursor<T>(cursor: string | undefined, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const text = `${(error as Error).message} ${String((error as { cause?: Error }).cause?.message ?? '')}`;
    if (cursor && /cursor|ExclusiveStartKey|start(ing)? key/i.test(text)) {
      throw new ValidationError('The cursor is not valid for this list', [{ path: 'query.cursor', message: 'Use nextCursor from the previous page of the same list' }], { id: 'request.bad-cursor' });
    }
    throw error;
  }
}
