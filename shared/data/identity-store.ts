import type { CodePurpose } from '#shared/domain/identity/policy';
import { SMS_CODE_POLICY, hourWindow } from '#shared/domain/identity/policy';
import type { IdentityStore, IssueRefusal } from '#shared/domain/identity/ports';
import type { User } from '#shared/domain/identity/model';
import { isConditionFailure, throwIfOnlyConflicts, withConflictRetry, withCursor } from './conditions.ts';
import type { DbOf } from './db.ts';
import { phoneClaimEntity, rateCounterEntity, smsCodeEntity, userEntity } from './entities/identity.ts';

/** The entities of accounts, phone claims and codes (sending a code counts in `rateCounter`, in the same transaction). */
export const IDENTITY_ENTITIES = { user: userEntity, phoneClaim: phoneClaimEntity, smsCode: smsCodeEntity, rateCounter: rateCounterEntity };
export type IdentityDb = DbOf<typeof IDENTITY_ENTITIES>;

const HOUR = 3600;

/** The identity store on the single table: every limit and claim is one conditional write. */
export function createIdentityStore(db: IdentityDb, limits: { ipHourly: number } = { ipHourly: SMS_CODE_POLICY.maxSendsPerIpPerHour }): IdentityStore {
  const entities = db.entities; // built at first use (see getDb)

  const toItem = (u: User) => ({ ...u, departmentKey: u.departmentId ?? '-' });
  const toUser = ({ departmentKey: _key, ...item }: { id: string; phone: string; displayName: string; roles: string[]; departmentId?: string | undefined; departmentKey?: string; status: 'active' | 'disabled'; gridIds?: string[] | undefined; sessionEpoch?: number | undefined; createdAt: string }): User => ({
    ...item,
    roles: item.roles as User['roles'],
  });

  return {
    async issueCode({ phone, purpose, codeHash, ip, now }) {
      const nowSeconds = Math.floor(now.getTime() / 1000);
      const window = hourWindow(now);
      // One transaction: both hourly counters (conditional increments) and the code itself (conditional
      // on the cooldown). Concurrent sends cannot overshoot a limit; a refused send writes nothing.
      const result = await withConflictRetry(() => db.transaction
        .write(({ rateCounter, smsCode: code }) => [
          rateCounter
            .update({ scope: 'sms-ip', key: ip, window })
            .add({ count: 1 })
            .set({ expiresAt: window + 2 * HOUR })
            .where((a, { notExists, lt }) => `${notExists(a.count)} OR ${lt(a.count, limits.ipHourly)}`)
            .commit(),
          rateCounter
            .update({ scope: 'sms-phone', key: phone, window })
            .add({ count: 1 })
            .set({ expiresAt: window + 2 * HOUR })
            .where((a, { notExists, lt }) => `${notExists(a.count)} OR ${lt(a.count, SMS_CODE_POLICY.maxSendsPerPhonePerHour)}`)
            .commit(),
          code
            .put({ phone, purpose, codeHash, attempts: 0, used: false, sentAt: nowSeconds, expiresAt: nowSeconds + SMS_CODE_POLICY.lifetimeSeconds })
            .where((a, { notExists, lte }) => `${notExists(a.sentAt)} OR ${lte(a.sentAt, nowSeconds - SMS_CODE_POLICY.resendCooldownSeconds)}`)
            .commit(),
        ])
        .go());
      if (!result.canceled) return undefined;
      throwIfOnlyConflicts(result);
      const failed = result.data.map((item) => item.code === 'ConditionalCheckFailed');
      const untilNextWindow = window + HOUR - nowSeconds;
      let refusal: IssueRefusal | undefined;
      if (failed[2]) {
        const current = await entities.smsCode.get({ phone, purpose }).go();
        refusal = { reason: 'cooldown', retryAfterSeconds: (current.data?.sentAt ?? nowSeconds) + SMS_CODE_POLICY.resendCooldownSeconds - nowSeconds };
      }
      if (failed[1]) refusal = { reason: 'phone-hourly', retryAfterSeconds: untilNextWindow };
      if (failed[0]) refusal = { reason: 'ip-hourly', retryAfterSeconds: untilNextWindow };
      if (!refusal) throw new Error(`SMS code transaction cancelled without a failed condition: ${JSON.stringify(result.data.map((d) => d.code))}`);
      return refusal;
    },

    async revokeCode(phone, purpose, codeHash) {
      try {
        await entities.smsCode.delete({ phone, purpose }).where((a, { eq }) => eq(a.codeHash, codeHash)).go({ response: 'none' });
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async getCode(phone, purpose) {
      const { data } = await entities.smsCode.get({ phone, purpose }).go();
      return data ?? undefined;
    },

    async recordWrongAttempt(phone, purpose, codeHash) {
      try {
        await entities.smsCode
          .update({ phone, purpose })
          .add({ attempts: 1 })
          .where((a, { eq, lt }) => `${eq(a.codeHash, codeHash)} AND ${eq(a.used, false)} AND ${lt(a.attempts, SMS_CODE_POLICY.maxWrongAttempts)}`)
          .go({ response: 'none' });
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async consumeCode({ phone, purpose, codeHash, nowSeconds }) {
      try {
        await consume(phone, purpose, codeHash, nowSeconds).go({ response: 'none' });
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async registerWithCode({ phone, purpose, codeHash, nowSeconds, user: newUser }) {
      const result = await withConflictRetry(() => db.transaction
        .write(({ smsCode: code, phoneClaim: claim, user: account }) => [
          // The same conditions as consumeCode(): the presented code, unused, within its tries, alive.
          code
            .update({ phone, purpose })
            .set({ used: true })
            .where(
              (a, { eq, lt, gt }) =>
                `${eq(a.codeHash, codeHash)} AND ${eq(a.used, false)} AND ${lt(a.attempts, SMS_CODE_POLICY.maxWrongAttempts)} AND ${gt(a.expiresAt, nowSeconds)}`,
            )
            .commit(),
          claim.create({ phone, userId: newUser.id }).commit(),
          account.create(toItem(newUser)).commit(),
        ])
        .go());
      if (!result.canceled) return 'created';
      if (result.data[0]?.code === 'ConditionalCheckFailed') return 'code-rejected';
      if (result.data[1]?.code === 'ConditionalCheckFailed') return 'phone-taken';
      throw new Error(`Registration transaction cancelled: ${result.data.map((d) => d.code).join(',')}`);
    },

    async createUser(newUser) {
      const result = await withConflictRetry(() =>
        db.transaction
          .write(({ phoneClaim: claim, user: account }) => [claim.create({ phone: newUser.phone, userId: newUser.id }).commit(), account.create(toItem(newUser)).commit()])
          .go(),
      );
      if (!result.canceled) return 'created';
      if (result.data[0]?.code === 'ConditionalCheckFailed') return 'phone-taken';
      throw new Error(`Account transaction cancelled: ${result.data.map((d) => d.code).join(',')}`);
    },

    async getUser(id) {
      const { data } = await entities.user.get({ id }).go();
      return data ? toUser(data) : undefined;
    },

    async listAllWithRole(role) {
      const { data } = await entities.user.query
        .staffDirectory({})
        .where((a, { contains }) => contains(a.roles, role))
        .go({ pages: 'all' });
      return data.map(toUser);
    },

    async listPatrolling(gridId) {
      // The staff directory filtered by role and grid: one read of the staff (hundreds to a few thousand
      // items in a city) per field check sent, and never out of step with the accounts' own gridIds.
      const { data } = await entities.user.query
        .staffDirectory({})
        .where((a, { contains, eq }) => `${contains(a.roles, 'supervisor')} AND ${contains(a.gridIds, gridId)} AND ${eq(a.status, 'active')}`)
        .go({ pages: 'all' });
      return data.map((u) => u.id);
    },

    async listDepartmentStaff(departmentId) {
      const { data } = await entities.user.query.byDepartment({ departmentKey: departmentId }).go({ pages: 'all' });
      return data.map(toUser);
    },

    async listStaff(filter, { limit, cursor }) {
      const query = filter.departmentId ? entities.user.query.byDepartment({ departmentKey: filter.departmentId }) : entities.user.query.staffDirectory({});
      const within = filter.withinDepartments;
      const filtered = query.where((a, { eq, contains }) =>
        [
          filter.role ? contains(a.roles, filter.role) : '',
          filter.q ? contains(a.displayName, filter.q) : '',
          within ? `(${within.map((d) => eq(a.departmentId, d)).join(' OR ')})` : '',
        ]
          .filter(Boolean)
          .join(' AND '),
      );
      // DynamoDB applies Limit before the filter: read on, asking each time for as many items as are
      // still missing (so the cursor stays exact), up to 10 reads; a page may then hold fewer.
      const items: User[] = [];
      let next: string | null = cursor ?? null;
      for (let reads = 0; reads < 10 && items.length < limit; reads++) {
        const from = next;
        const page = await withCursor(from ?? undefined, () => filtered.go({ limit: limit - items.length, cursor: from }));
        items.push(...page.data.map(toUser));
        next = page.cursor;
        if (!next) break;
      }
      return { items, ...(next ? { nextCursor: next } : {}) };
    },

    async updateStaff(id, changes) {
      const { data: current } = await entities.user.get({ id }).go({ consistent: true });
      if (!current || current.departmentKey === '-') return undefined;
      const departmentId = changes.departmentId ?? current.departmentId;
      const disabling = changes.status === 'disabled' && current.status !== 'disabled';
      try {
        // Every composite of the indexes the item is on is set, so ElectroDB rewrites their keys.
        let update = entities.user
          .patch({ id })
          .set({
            displayName: changes.displayName ?? current.displayName,
            departmentKey: departmentId ?? '-',
            ...(departmentId ? { departmentId } : {}),
            ...(changes.roles ? { roles: [...new Set(changes.roles)] } : {}),
            ...(changes.gridIds ? { gridIds: [...new Set(changes.gridIds)] } : {}),
            ...(changes.status ? { status: changes.status } : {}),
          });
        // A disabled account's refresh-token families end at once (their epoch is behind).
        if (disabling) update = update.add({ sessionEpoch: 1 });
        const { data } = await update.go({ response: 'all_new' });
        return toUser(data as Parameters<typeof toUser>[0]);
      } catch (error) {
        if (isConditionFailure(error)) return undefined; // deleted meanwhile
        throw error;
      }
    },

    async deleteAccount({ id, phone }) {
      const result = await withConflictRetry(() =>
        db.transaction
          .write(({ phoneClaim: claim, user: account, smsCode: code }) => [
            claim.delete({ phone }).where((a, { eq }) => eq(a.userId, id)).commit(),
            account.delete({ id }).commit(),
            // The phone's live codes go too (keyed by the number); the hourly send counters stay until their TTL.
            code.delete({ phone, purpose: 'register' }).commit(),
            code.delete({ phone, purpose: 'login' }).commit(),
          ])
          .go(),
      );
      if (result.canceled && !result.data.some((d) => d.code === 'ConditionalCheckFailed')) {
        throwIfOnlyConflicts(result);
        throw new Error(`Account deletion cancelled: ${result.data.map((d) => d.code).join(',')}`);
      }
    },

    async findUserByPhone(phone) {
      const claim = await entities.phoneClaim.get({ phone }).go();
      if (!claim.data) return undefined;
      const { data } = await entities.user.get({ id: claim.data.userId }).go();
      return data ? toUser(data) : undefined;
    },
  };

  /** Marks the code used if it is still the one presented, unused, within its tries and alive. */
  function consume(phone: string, purpose: CodePurpose, codeHash: string, nowSeconds: number) {
    return entities.smsCode
      .update({ phone, purpose })
      .set({ used: true })
      .where(
        (a, { eq, lt, gt }) =>
          `${eq(a.codeHash, codeHash)} AND ${eq(a.used, false)} AND ${lt(a.attempts, SMS_CODE_POLICY.maxWrongAttempts)} AND ${gt(a.expiresAt, nowSeconds)}`,
      );
  }
}
