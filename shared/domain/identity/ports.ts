import type { SmsMessage } from '#shared/domain/messaging/sms-templates';
import type { CodePurpose } from './policy.ts';
import type { Role } from '#shared/domain/roles';
import type { Principal, User } from './model.ts';
import type { Audited } from '#shared/domain/audit/ports';

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
  createUser(user: User, audit?: Audited): Promise<'created' | 'phone-taken'>;
  getUser(id: string): Promise<User | undefined>;
  /** The staff accounts of one department. */
  listDepartmentStaff(departmentId: string): Promise<User[]>;
  /** Ids of the supervisors patrolling a grid. */
  listPatrolling(gridId: string): Promise<string[]>;
  /** Every staff account (active or disabled) with `role`, through the staff directory. */
  listAllWithRole(role: Role): Promise<User[]>;
  findUserByPhone(phone: string): Promise<User | undefined>;
  /** The accounts of these phones (read consistently, 100 per request), by phone; phones without one are left out. */
  usersByPhone(phones: readonly string[]): Promise<Map<string, User>>;
  /**
   * Writes a staff batch's changes in chunks, one transaction each (DynamoDB's 100 actions: a created
   * account is two items, its phone claim and itself). An update holds only while the account is as
   * read. Stops at the first chunk that fails on a concurrent change (`conflict`), the chunks before it written.
   */
  writeStaffBatch(writes: readonly StaffBatchWrite[], audit?: (chunk: readonly StaffBatchWrite[], rows: { from: number; to: number }) => Audited): Promise<{ written: number; conflict: boolean }>;
  /**
   * 人员名录 — staff by name (one department through its index, else the whole directory), filtered by
   * departments, role and a part of the name; a page holds up to `limit` matches.
   */
  listStaff(filter: StaffFilter, page: { limit: number; cursor?: string | undefined }): Promise<{ items: User[]; nextCursor?: string | undefined }>;
  /**
   * Changes a staff account's fields; a disable also raises its session epoch. Undefined when there is no
   * such staff member; `last-admin` (nothing written) when it would leave no active admin.
   */
  updateStaff(id: string, changes: StaffChanges, audit?: (before: User, after: User) => Audited): Promise<User | undefined | 'last-admin'>;
  /** 注销 begins: from this write on, nothing more is written for the person (see `cancelledAccountModel`). Idempotent. */
  markCancelled(userId: string, at: Date): Promise<void>;
  /** 注销 — deletes the account, releases its phone claim and drops the phone's live SMS codes, in one transaction. */
  deleteAccount(user: Pick<User, 'id' | 'phone'>): Promise<void>;
}

export interface StaffFilter {
  /** One department (its index); absent = the whole directory. */
  departmentId?: string | undefined;
  /** Only these departments (a dispatcher's subtree). */
  withinDepartments?: readonly string[] | undefined;
  role?: Role | undefined;
  /** A part of the display name. */
  q?: string | undefined;
  status?: 'active' | 'disabled' | undefined;
}

/** One change of a staff batch: a new account, or an account as read and as it becomes. */
export type StaffBatchWrite = { kind: 'create'; user: User } | { kind: 'update'; before: User; after: User };

export interface StaffChanges {
  displayName?: string | undefined;
  roles?: Role[] | undefined;
  departmentId?: string | undefined;
  gridIds?: string[] | undefined;
  status?: 'active' | 'disabled' | undefined;
}

/** How an effect of the event processor is sent: its ledger key, so a transport that can (the local outbox) keeps it once. */
export interface EffectSendOptions {
  effectKey?: string | undefined;
}

export interface SmsSender {
  /** Sends one templated SMS. `phone` is E.164; implementations never log it. */
  send(phone: string, message: SmsMessage, options?: EffectSendOptions): Promise<void>;
}

export interface TokenIssuer {
  /** An access token of `principal` in the session (refresh-token family) `sessionId`. */
  issue(principal: Principal, sessionId: string): Promise<{ accessToken: string; expiresIn: number }>;
}

/** A refresh-token family as stored: the hash of its current token, never the token. */
export interface StoredSession {
  familyId: string;
  userId: string;
  tokenHash: string;
  epoch: number;
  revoked: boolean;
  /** Epoch seconds: the current token's end. */
  expiresAt: number;
}

/**
 * Refresh-token families. Each method is one write; rotation is conditional on the hash it replaces,
 * so of two refreshes with the same token exactly one can succeed.
 */
export interface SessionStore {
  startSession(input: StoredSession & { createdAt: string }): Promise<void>;
  getSession(familyId: string): Promise<StoredSession | undefined>;
  /** Replaces the token if it is still `fromHash` and the family is not revoked; false otherwise. */
  rotateSession(input: { familyId: string; fromHash: string; toHash: string; at: string; expiresAt: number }): Promise<boolean>;
  revokeSession(familyId: string): Promise<void>;
}
