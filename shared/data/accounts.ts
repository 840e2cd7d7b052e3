import { UnauthenticatedError } from '#shared/domain/errors';
import { cancelledAccountModel } from './entities/identity.ts';
import { write, type Table } from './operations.ts';

/**
 * A transaction's condition that `userId` is not a cancelled account: once the cancellation has begun
 * (its marker is written first), a write made for that person commits nothing, whatever a container's
 * auth cache still believes. One ConditionCheck in a transaction the write sends anyway.
 */
export const notCancelled = (table: Table, userId: string) => ['account', write.check(table, cancelledAccountModel, { userId }, (x) => x.notExists('pk'))] as const;

/** 401 when a cancelled transaction failed on {@link notCancelled}. */
export function throwIfAccountCancelled(failed: Set<string>): void {
  if (failed.has('account')) throw new UnauthenticatedError('The account is disabled or no longer exists', { id: 'auth.account-inactive' });
}
