import type { User } from '#shared/domain/identity/model';
import type { CodePurpose } from '#shared/domain/identity/policy';
import { defineModel } from '../model.ts';

/** An account; staff also carry their department's key (`-` for citizens, who are on no staff index). */
export type UserItem = User & { departmentKey: string };

const onStaff = (u: UserItem) => Boolean(u.departmentKey) && u.departmentKey !== '-';

/**
 * A person who can log in: citizen or staff. Looked up by id; the phone claim finds it by phone. Staff
 * of a department (gsi1; sparse: citizens have no department) serve warnings and escalations; the staff
 * directory (gsi4, `GET /v1/staff`) has every staff member in one partition, by name. Roles are a string set.
 */
export const userModel = defineModel<UserItem>()({
  entity: 'user',
  indexes: {
    byId: { pk: ['id'], sk: [] },
    byDepartment: { index: 'gsi1', pk: ['departmentKey'], sk: ['id'], when: onStaff },
    staffDirectory: { index: 'gsi4', pk: [], sk: ['displayName', 'id'], when: onStaff },
  },
  sets: ['roles'],
});

/**
 * A refresh-token family (one login on one device): only the SHA-256 of its current token, rotated on
 * every use. A token of the family that is not the current one is a replay: the family is revoked.
 */
export const sessionModel = defineModel<{ familyId: string; userId: string; tokenHash: string; epoch: number; revoked: boolean; createdAt: string; rotatedAt?: string | undefined; expiresAt: number }>()({
  entity: 'session',
  indexes: { byFamily: { pk: ['familyId'], sk: [] } },
});

/**
 * 注销 in progress or done: written first when a person cancels their account, so that from then on no
 * write names them (reports, support, upload grants and quota counters check it in their transaction).
 * Holds only the account's id (nothing links it to a person once the account is gone); expires after a day.
 */
export const cancelledAccountModel = defineModel<{ userId: string; cancelledAt: string; expiresAt: number }>()({
  entity: 'cancelledAccount',
  indexes: { byUser: { pk: ['userId'], sk: [] } },
});

/** One account per phone number: the claim is created in the same transaction as the account. */
export const phoneClaimModel = defineModel<{ phone: string; userId: string }>()({
  entity: 'phoneClaim',
  indexes: { byPhone: { pk: ['phone'], sk: [] } },
});

/** The current SMS code of a phone for a purpose: only its keyed hash, tries, use and expiry. */
export type SmsCodeItem = { phone: string; purpose: CodePurpose; codeHash: string; attempts: number; used: boolean; sentAt: number; expiresAt: number };
export const smsCodeModel = defineModel<SmsCodeItem>()({
  entity: 'smsCode',
  indexes: { byPhone: { pk: ['phone', 'purpose'], sk: [] } },
});

/** A fixed-window counter (per phone or IP per hour, quotas, API keys), incremented with a condition, never read-modify-write. */
export const rateCounterModel = defineModel<{ scope: string; key: string; window: number; count?: number; expiresAt?: number }>()({
  entity: 'rateCounter',
  indexes: { byKey: { pk: ['scope', 'key', 'window'], sk: [] } },
});
