/** True when an ElectroDB/DynamoDB error is a failed write condition (not a fault). */
export function isConditionFailure(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const name = (e as { name?: string }).name;
    if (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException') return true;
  }
  return false;
}

interface TransactionOutcome {
  canceled: boolean;
  data: Array<{ code?: string | undefined }>;
}

/**
 * Runs a transaction again (with jittered backoff) when DynamoDB cancelled it only because another
 * transaction touched the same items at the same time (`TransactionConflict`), which real DynamoDB does
 * under contention. A failed condition is an answer, not a conflict, and is returned at once.
 */
export async function withConflictRetry<T extends TransactionOutcome>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const result = await run();
    const conflicted = result.canceled && result.data.some((d) => d.code === 'TransactionConflict') && !result.data.some((d) => d.code === 'ConditionalCheckFailed');
    if (!conflicted || attempt >= attempts) return result;
    await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 30));
  }
}
