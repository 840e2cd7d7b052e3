import type { SmsMessage } from '#shared/domain/messaging/sms-templates';
import type { CodePurpose } from './policy.ts';
import type { Principal, User } from './model.ts';

/** Why a code could not be issued, with how long to wait. */
export type IssueRefusal = { reason: 'cooldown' | 'phone-hourly' | 'ip-hourly'; retryAfterSeconds: number };

export interface StoredCode {
  codeHash: string;
  attempts: number;
  used: boolean;
  expiresAt: number;
  sentAt: number;
}

/**
 * What the identity use cases need from storage. The DynamoDB implementation makes each method one
 * atomic write (conditional updates and transactions), so limits hold under concurrent requests.
 */
export interface IdentityStore {
  /** Stores a new code for phone+purpose if the cooldown and both hourly limits allow it, atomically. */
  issueCode(input: { phone: string; purpose: CodePurpose; codeHash: string; ip: string; now: Date }): Promise<IssueRefusal | undefined>;
  getCode(phone: string, purpose: CodePurpose): Promise<StoredCode | undefined>;
  /** Removes the code if it is still this one (its SMS could not be sent). */
  revokeCode(phone: string, purpose: CodePurpose, codeHash: string): Promise<void>;
  /** Counts a wrong try; false when the code was already dead (used, replaced or out of tries). */
  recordWrongAttempt(phone: string, purpose: CodePurpose, codeHash: string): Promise<boolean>;
  /** Consumes the code and creates user + phone claim in one transaction. */
  registerWithCode(input: { phone: string; purpose: CodePurpose; codeHash: string; nowSeconds: number; user: User }): Promise<'created' | 'code-rejected' | 'phone-taken'>;
  /** Consumes the code (single use); false if it was consumed, replaced or exhausted meanwhile. */
  consumeCode(input: { phone: string; purpose: CodePurpose; codeHash: string; nowSeconds: number }): Promise<boolean>;
  /** Creates a user with its phone claim, unless the phone is taken. */
  createUser(user: User): Promise<'created' | 'phone-taken'>;
  getUser(id: string): Promise<User | undefined>;
  /** The staff accounts of one department. */
  listDepartmentStaff(departmentId: string): Promise<User[]>;
  findUserByPhone(phone: string): Promise<User | undefined>;
}

export interface SmsSender {
  /** Sends one templated SMS. `phone` is E.164; implementations never log it. */
  send(phone: string, message: SmsMessage): Promise<void>;
}

export interface TokenIssuer {
  issue(principal: Principal): Promise<{ accessToken: string; expiresIn: number }>;
}
