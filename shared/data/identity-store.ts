import { BusyError } from '#shared/domain/errors';
import type { CodePurpose } from '#shared/domain/identity/policy';
import { SMS_CODE_POLICY, hourWindow } from '#shared/domain/identity/policy';
import type { IdentityStore, IssueRefusal } from '#shared/domain/identity/ports';
import type { User } from '#shared/domain/identity/model';
import { transactAudited } from './audit-store.ts';
import { describeCancellation, failedWrites, isConditionFailure, throwIfOnlyConflicts, withConflictRetry, withCursor } from './conditions.ts';
import { cancelledAccountModel, phoneClaimModel, rateCounterModel, smsCodeModel, userModel, type UserItem } from './entities/identity.ts';
import { ENTITY_ATTRIBUTE, VERSION_ATTRIBUTE, keysOf, storedValue } from './model.ts';
import { allOf, get, getMany, query, send, transact, updateAndGet, write, type Changes, type Condition, type Expr, type Table } from './operations.ts';

const HOUR = 3600;

/**
 * Staff rows per transaction of a batch: a created row is two items (the account and its phone claim),
 * DynamoDB takes at most 100 actions, and two stay free for the audit record's entry and head.
 */
export const STAFF_ROWS_PER_TRANSACTION = 49;

/** The identity store on the single table: every limit and claim is one conditional write. */
export function createIdentityStore(table: Table, limits: { ipHourly: number } = { ipHourly: SMS_CODE_POLICY.maxSendsPerIpPerHour }): IdentityStore {
  const toItem = (u: User): UserItem => ({ ...u, departmentKey: u.departmentId ?? '-' });
  const toUser = ({ departmentKey: _key, ...item }: UserItem): User => item;

  /** The code still the one presented, unused, within its tries and alive (consuming it, registering with it). */
  const usable = (codeHash: string, nowSeconds: number): Condition => (x) =>
    `${x.eq('codeHash', codeHash)} AND ${x.eq('used', false)} AND ${x.lt('attempts', SMS_CODE_POLICY.maxWrongAttempts)} AND ${x.gt('expiresAt', nowSeconds)}`;
  /** A counter below its limit (or not yet counting). */
  const below = (limit: number): Condition => (x) => `${x.notExists('count')} OR ${x.lt('count', limit)}`;

  return {
    async issueCode({ phone, purpose, codeHash, ip, now }) {
      const nowSeconds = Math.floor(now.getTime() / 1000);
      const window = hourWindow(now);
      // One transaction: both hourly counters (conditional increments) and the code itself (conditional
      // on the cooldown). Concurrent sends cannot overshoot a limit; a refused send writes nothing.
      const result = await withConflictRetry(() =>
        transact(table, [
          ['ip', write.update(table, rateCounterModel, { scope: 'sms-ip', key: ip, window }, { add: { count: 1 }, set: { expiresAt: window + 2 * HOUR }, if: below(limits.ipHourly) })],
          ['phone', write.update(table, rateCounterModel, { scope: 'sms-phone', key: phone, window }, { add: { count: 1 }, set: { expiresAt: window + 2 * HOUR }, if: below(SMS_CODE_POLICY.maxSendsPerPhonePerHour) })],
          [
            'code',
            write.put(table, smsCodeModel, { phone, purpose, codeHash, attempts: 0, used: false, sentAt: nowSeconds, expiresAt: nowSeconds + SMS_CODE_POLICY.lifetimeSeconds }, {
              if: (x) => `${x.notExists('sentAt')} OR ${x.lte('sentAt', nowSeconds - SMS_CODE_POLICY.resendCooldownSeconds)}`,
            }),
          ],
        ]),
      );
      if (!result.canceled) return undefined;
      throwIfOnlyConflicts(result);
      const failed = failedWrites(result);
      const untilNextWindow = window + HOUR - nowSeconds;
      let refusal: IssueRefusal | undefined;
      if (failed.has('code')) {
        const current = await get(table, smsCodeModel, { phone, purpose });
        refusal = { reason: 'cooldown', retryAfterSeconds: (current?.sentAt ?? nowSeconds) + SMS_CODE_POLICY.resendCooldownSeconds - nowSeconds };
      }
      if (failed.has('phone')) refusal = { reason: 'phone-hourly', retryAfterSeconds: untilNextWindow };
      if (failed.has('ip')) refusal = { reason: 'ip-hourly', retryAfterSeconds: untilNextWindow };
      if (!refusal) throw new Error(`SMS code transaction cancelled without a failed condition: ${describeCancellation(result)}`);
      return refusal;
    },

    async revokeCode(phone, purpose, codeHash) {
      try {
        await send(table, write.delete(table, smsCodeModel, { phone, purpose }, { if: (x) => x.eq('codeHash', codeHash) }));
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async getCode(phone, purpose) {
      return get(table, smsCodeModel, { phone, purpose });
    },

    async recordWrongAttempt(phone, purpose, codeHash) {
      try {
        await send(
          table,
          write.update(table, smsCodeModel, { phone, purpose }, {
            add: { attempts: 1 },
            if: (x) => `${x.eq('codeHash', codeHash)} AND ${x.eq('used', false)} AND ${x.lt('attempts', SMS_CODE_POLICY.maxWrongAttempts)}`,
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async consumeCode({ phone, purpose, codeHash, nowSeconds }) {
      try {
        await send(table, consume(phone, purpose, codeHash, nowSeconds));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async registerWithCode({ phone, purpose, codeHash, nowSeconds, user: newUser }) {
      const result = await withConflictRetry(() =>
        transact(table, [
          // The same conditions as consumeCode(): the presented code, unused, within its tries, alive.
          ['code', consume(phone, purpose, codeHash, nowSeconds)],
          ['claim', write.put(table, phoneClaimModel, { phone, userId: newUser.id }, { create: true })],
          ['account', write.put(table, userModel, toItem(newUser), { create: true })],
        ]),
      );
      if (!result.canceled) return 'created';
      const failed = failedWrites(result);
      if (failed.has('code')) return 'code-rejected';
      if (failed.has('claim')) return 'phone-taken';
      throw new Error(`Registration transaction cancelled: ${describeCancellation(result)}`);
    },

    async createUser(newUser, audit) {
      const result = await transactAudited(
        table,
        [
          ['claim', write.put(table, phoneClaimModel, { phone: newUser.phone, userId: newUser.id }, { create: true })],
          ['account', write.put(table, userModel, toItem(newUser), { create: true })],
        ],
        audit,
      );
      if (!result.canceled) return 'created';
      if (failedWrites(result).has('claim')) return 'phone-taken';
      throw new Error(`Account transaction cancelled: ${describeCancellation(result)}`);
    },

    async getUser(id) {
      const item = await get(table, userModel, { id });
      return item ? toUser(item) : undefined;
    },

    async listAllWithRole(role) {
      const { items } = await query(table, userModel, 'staffDirectory', {}, { all: true, filter: (x) => x.contains('roles', role) });
      return items.map(toUser);
    },

    async listPatrolling(gridId) {
      // The staff directory filtered by role and grid: one read of the staff (hundreds to a few thousand
      // items in a city) per field check sent, and never out of step with the accounts' own gridIds.
      const { items } = await query(table, userModel, 'staffDirectory', {}, {
        all: true,
        filter: (x) => `${x.contains('roles', 'supervisor')} AND ${x.contains('gridIds', gridId)} AND ${x.eq('status', 'active')}`,
      });
      return items.map((u) => u.id);
    },

    async listDepartmentStaff(departmentId) {
      const { items } = await query(table, userModel, 'byDepartment', { departmentKey: departmentId }, { all: true });
      return items.map(toUser);
    },

    async listStaff(filter, { limit, cursor }) {
      const within = filter.withinDepartments;
      const matches = allOf(
        filter.role ? (x) => x.contains('roles', filter.role) : undefined,
        filter.q ? (x) => x.contains('displayName', filter.q) : undefined,
        filter.status ? (x) => x.eq('status', filter.status) : undefined,
        within ? (x) => within.map((d) => x.eq('departmentId', d)).join(' OR ') : undefined,
      );
      const read = (options: { limit: number; cursor: string | undefined }) =>
        filter.departmentId
          ? query(table, userModel, 'byDepartment', { departmentKey: filter.departmentId }, { ...options, filter: matches })
          : query(table, userModel, 'staffDirectory', {}, { ...options, filter: matches });
      // DynamoDB applies Limit before the filter: read on, asking each time for as many items as are
      // still missing (so the cursor stays exact), up to 10 reads; a page may then hold fewer.
      const items: User[] = [];
      let next: string | undefined = cursor;
      for (let reads = 0; reads < 10 && items.length < limit; reads++) {
        const from = next;
        const page = await withCursor(from, () => read({ limit: limit - items.length, cursor: from }));
        items.push(...page.items.map(toUser));
        next = page.cursor;
        if (!next) break;
      }
      return { items, ...(next ? { nextCursor: next } : {}) };
    },

    async updateStaff(id, changes, audit) {
      // Optimistic: the update rewrites the fields it does not change (and the index keys) from what it
      // read, so it holds only while those are still as read; a concurrent change makes it read again.
      for (let attempt = 1; ; attempt++) {
        const current = await get(table, userModel, { id }, { consistent: true });
        if (!current || current.departmentKey === '-') return undefined;
        const departmentId = changes.departmentId ?? current.departmentId;
        const disabling = changes.status === 'disabled' && current.status !== 'disabled';
        const updated: UserItem = {
          ...current,
          displayName: changes.displayName ?? current.displayName,
          departmentKey: departmentId ?? '-',
          ...(departmentId ? { departmentId } : {}),
          ...(changes.roles ? { roles: [...new Set(changes.roles)] } : {}),
          ...(changes.gridIds ? { gridIds: [...new Set(changes.gridIds)] } : {}),
          ...(changes.status ? { status: changes.status } : {}),
        };
        // The index keys follow the name and department (the directory is sorted by name).
        const { pk: _pk, sk: _sk, [ENTITY_ATTRIBUTE]: _e, [VERSION_ATTRIBUTE]: _v, ...indexKeys } = keysOf(userModel, updated);
        // Taking the admin role (or the account) from an active admin needs another active admin, held by a
        // condition in the same transaction: of two admins demoting each other at once, one fails.
        const isActiveAdmin = (u: Pick<User, 'status' | 'roles'>) => u.status === 'active' && u.roles.includes('admin');
        let keeper: User | undefined;
        if (isActiveAdmin(current) && !isActiveAdmin(updated)) {
          keeper = await anotherActiveAdmin(current.id);
          if (!keeper) return 'last-admin';
        }
        const change = {
          set: {
            displayName: updated.displayName,
            departmentKey: updated.departmentKey,
            departmentId: updated.departmentId,
            roles: updated.roles,
            gridIds: changes.gridIds ? updated.gridIds : undefined,
            status: updated.status,
            ...indexKeys,
          },
          // A disabled account's refresh-token families end at once (their epoch is behind).
          ...(disabling ? { add: { sessionEpoch: 1 } } : {}),
          mustExist: true,
          if: (x: Expr) => [x.eq('displayName', current.displayName), x.eq('departmentKey', current.departmentKey), x.eq('status', current.status), x.eq('roles', storedValue(userModel, 'roles', current.roles))].join(' AND '),
        } satisfies Changes<UserItem>;
        try {
          if (keeper || audit) {
            const after = toUser({ ...updated, ...(disabling ? { sessionEpoch: (current.sessionEpoch ?? 0) + 1 } : {}) });
            const result = await transactAudited(
              table,
              [
                ['account', write.update(table, userModel, { id: current.id }, change)],
                ...(keeper ? [['keeper', write.check(table, userModel, { id: keeper.id }, (x) => `${x.eq('status', 'active')} AND ${x.contains('roles', 'admin')}`)] as const] : []),
              ],
              audit?.(toUser(current), after),
            );
            if (!result.canceled) return after;
            throwIfOnlyConflicts(result);
          } else {
            // The key as stored (not as the caller spelled it: the update also sets the key's attributes).
            return toUser(await updateAndGet(table, userModel, { id: current.id }, change));
          }
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
        // Deleted (the next read finds nothing), changed meanwhile (applied again on top), or the other admin
        // lost the role meanwhile (the next read looks for another).
        if (attempt >= 6) throw new BusyError();
      }
    },

    async markCancelled(userId, at) {
      const seconds = Math.floor(at.getTime() / 1000);
      // A day outlives every cache and request that could still act for the person (caches ≤ 60 s).
      await send(table, write.put(table, cancelledAccountModel, { userId, cancelledAt: at.toISOString(), expiresAt: seconds + 24 * HOUR }));
    },

    async deleteAccount({ id, phone }) {
      const result = await withConflictRetry(() =>
        transact(table, [
          ['claim', write.delete(table, phoneClaimModel, { phone }, { if: (x) => x.eq('userId', id) })],
          ['account', write.delete(table, userModel, { id })],
          // The phone's live codes go too (keyed by the number); the hourly send counters stay until their TTL.
          ['code', write.delete(table, smsCodeModel, { phone, purpose: 'register' })],
          ['code', write.delete(table, smsCodeModel, { phone, purpose: 'login' })],
        ]),
      );
      if (result.canceled && failedWrites(result).size === 0) {
        throwIfOnlyConflicts(result);
        throw new Error(`Account deletion cancelled: ${describeCancellation(result)}`);
      }
    },

    async usersByPhone(phones) {
      const claims = await getMany(table, phoneClaimModel, phones.map((phone) => ({ phone })), { consistent: true });
      const users = new Map((await getMany(table, userModel, claims.map((c) => ({ id: c.userId })), { consistent: true })).map((u) => [u.id, toUser(u)]));
      const found = new Map<string, User>();
      for (const claim of claims) {
        const user = users.get(claim.userId);
        if (user) found.set(claim.phone, user);
      }
      return found;
    },

    async writeStaffBatch(writes, audit) {
      let written = 0;
      for (let i = 0; i < writes.length; i += STAFF_ROWS_PER_TRANSACTION) {
        const chunk = writes.slice(i, i + STAFF_ROWS_PER_TRANSACTION);
        const result = await transactAudited(
            table,
            chunk.flatMap((w) => {
              if (w.kind === 'create') {
                return [
                  ['claim', write.put(table, phoneClaimModel, { phone: w.user.phone, userId: w.user.id }, { create: true })] as const,
                  ['account', write.put(table, userModel, toItem(w.user), { create: true })] as const,
                ];
              }
              const { before, after } = w;
              const disabling = after.status === 'disabled' && before.status !== 'disabled';
              const item = toItem({ ...after, ...(disabling ? { sessionEpoch: (before.sessionEpoch ?? 0) + 1 } : {}) });
              // The account as read: a change meanwhile (another admin, another batch) cancels the chunk.
              const asRead: Condition = (x) =>
                [x.exists('pk'), x.eq('displayName', before.displayName), x.eq('departmentKey', before.departmentId ?? '-'), x.eq('status', before.status), x.eq('roles', storedValue(userModel, 'roles', before.roles))].join(' AND ');
              return [['account', write.put(table, userModel, item, { if: asRead })] as const];
            }),
            audit?.(chunk, { from: i + 1, to: i + chunk.length }),
        );
        if (result.canceled) {
          throwIfOnlyConflicts(result);
          if (failedWrites(result).size > 0) return { written, conflict: true };
          throw new Error(`Staff batch transaction cancelled: ${describeCancellation(result)}`);
        }
        written += chunk.length;
      }
      return { written, conflict: false };
    },

    async findUserByPhone(phone) {
      const claim = await get(table, phoneClaimModel, { phone });
      if (!claim) return undefined;
      const item = await get(table, userModel, { id: claim.userId });
      return item ? toUser(item) : undefined;
    },
  };

  /** An active admin other than `id`, read consistently (the staff directory only finds the candidates). */
  async function anotherActiveAdmin(id: string): Promise<User | undefined> {
    const { items } = await query(table, userModel, 'staffDirectory', {}, { all: true, filter: (x) => `${x.contains('roles', 'admin')} AND ${x.eq('status', 'active')}` });
    for (const candidate of items.filter((u) => u.id !== id)) {
      const fresh = await get(table, userModel, { id: candidate.id }, { consistent: true });
      if (fresh && fresh.status === 'active' && fresh.roles.includes('admin')) return toUser(fresh);
    }
    return undefined;
  }

  /** Marks the code used if it is still the one presented, unused, within its tries and alive. */
  function consume(phone: string, purpose: CodePurpose, codeHash: string, nowSeconds: number) {
    return write.update(table, smsCodeModel, { phone, purpose }, { set: { used: true }, if: usable(codeHash, nowSeconds) });
  }
}
