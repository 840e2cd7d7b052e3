import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, UnauthenticatedError, ValidationError } from '#shared/domain/errors';
import type { Role } from '#shared/domain/roles';
import { defaultDisplayName, staffAuditView, userView, type Principal, type User } from './model.ts';
import { CLI_ACTOR, actorOf } from '#shared/domain/audit/chain';
import type { AuditLog } from '#shared/domain/audit/ports';
import { SMS_CODE_POLICY, codeMessage, generateCode, hashCode, sameHash, type CodePurpose } from './policy.ts';
import type { IdentityStore, SessionStore, SmsSender, TokenIssuer } from './ports.ts';
import { REFRESH_TOKEN_POLICY, newRefreshToken, parseRefreshToken } from './sessions.ts';

export interface IdentityDeps {
  store: IdentityStore;
  /** Refresh-token families. */
  sessions: SessionStore;
  sms: SmsSender;
  tokens: TokenIssuer;
  /** Key of the code hashes. */
  pepper: string;
  /** E.164 prefixes that may receive codes (default `+86`). */
  smsPrefixes?: string[];
  now: () => Date;
  newId: () => string;
}

const WRONG_CODE = 'The verification code is wrong or has expired';
const wrongCode = () => new UnauthenticatedError(WRONG_CODE, { id: 'auth.code-wrong' });

const REFUSALS = {
  cooldown: 'Please wait before requesting another code',
  'phone-hourly': 'Too many codes requested for this phone number; try again later',
  'ip-hourly': 'Too many codes requested from this network; try again later',
} as const;

const SESSION_ENDED = 'The session has ended; log in again';
const sessionEnded = () => new UnauthenticatedError(SESSION_ENDED, { id: 'auth.session-ended' });

/**
 * 发送验证码 — send an SMS verification code.
 * 1. Generate a 6-digit code and its keyed hash.
 * 2. Store it only if the cooldown and the per-phone and per-IP hourly limits allow (one atomic write).
 * 3. Send the SMS. The answer never says whether the phone has an account.
 */
export async function requestCode(deps: IdentityDeps, input: { phone: string; purpose: CodePurpose; ip: string }) {
  // SMS to premium-rate numbers abroad is a known fraud: only the configured countries get codes.
  if (!(deps.smsPrefixes ?? ['+86']).some((prefix) => input.phone.startsWith(prefix))) {
    throw new ValidationError('Verification codes are sent to mainland China mobile numbers only', [{ path: 'phone', message: 'Use a +86 mobile number' }], { id: 'auth.phone-not-allowed' });
  }
  const code = generateCode();
  const codeHash = hashCode(deps.pepper, input.phone, input.purpose, code);
  const refusal = await deps.store.issueCode({ phone: input.phone, purpose: input.purpose, codeHash, ip: input.ip, now: deps.now() });
  if (refusal) throw new RateLimitedError(REFUSALS[refusal.reason], refusal.retryAfterSeconds, { id: `auth.sms-${refusal.reason}`, params: { seconds: Math.ceil(refusal.retryAfterSeconds) } });
  try {
    await deps.sms.send(input.phone, codeMessage(code));
  } catch (error) {
    // The user never got it: withdraw the code so the cooldown does not lock them out of a retry.
    await deps.store.revokeCode(input.phone, input.purpose, codeHash);
    throw error;
  }
  return { expiresInSeconds: SMS_CODE_POLICY.lifetimeSeconds, resendAfterSeconds: SMS_CODE_POLICY.resendCooldownSeconds };
}

/**
 * Checks a code against the stored hash. A wrong code counts a try (atomically); after the fifth the
 * code is dead even if the right one comes next. Returns the hash to consume.
 */
async function verifyCode(deps: IdentityDeps, phone: string, purpose: CodePurpose, code: string): Promise<string> {
  const stored = await deps.store.getCode(phone, purpose);
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  // TTL deletion is lazy: an expired item can still be read, so expiry is checked here too.
  if (!stored || stored.used || stored.expiresAt <= nowSeconds || stored.attempts >= SMS_CODE_POLICY.maxWrongAttempts) {
    throw wrongCode();
  }
  const presented = hashCode(deps.pepper, phone, purpose, code);
  if (!sameHash(presented, stored.codeHash)) {
    await deps.store.recordWrongAttempt(phone, purpose, stored.codeHash);
    throw wrongCode();
  }
  return presented;
}

const principalOf = (user: User): Principal => ({
  userId: user.id,
  roles: user.roles,
  departmentId: user.departmentId,
  displayName: user.displayName,
});

/** An access token and the first refresh token of a new family (one login on one device). */
async function session(deps: IdentityDeps, user: User) {
  const principal = principalOf(user);
  const refresh = newRefreshToken();
  const now = deps.now();
  await deps.sessions.startSession({
    familyId: refresh.familyId,
    userId: user.id,
    tokenHash: refresh.hash,
    epoch: user.sessionEpoch ?? 0,
    revoked: false,
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + REFRESH_TOKEN_POLICY.lifetimeSeconds,
  });
  return { ...(await deps.tokens.issue(principal, refresh.familyId)), refreshToken: refresh.token, user: userView(user, principal) };
}

/**
 * 注册 — register a citizen.
 * 1. Verify the code (purpose `register`).
 * 2. In one transaction: consume the code, claim the phone, create the user. A taken phone → 409.
 * 3. Issue an access token.
 */
export async function register(deps: IdentityDeps, input: { phone: string; code: string; displayName?: string | undefined }) {
  const codeHash = await verifyCode(deps, input.phone, 'register', input.code);
  const user: User = {
    id: deps.newId(),
    phone: input.phone,
    displayName: input.displayName ?? defaultDisplayName(input.phone),
    roles: ['citizen'],
    status: 'active',
    createdAt: deps.now().toISOString(),
  };
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  const outcome = await deps.store.registerWithCode({ phone: input.phone, purpose: 'register', codeHash, nowSeconds, user });
  if (outcome === 'phone-taken') throw new ConflictError('This phone number already has an account; log in instead', 'PHONE_TAKEN', { id: 'auth.phone-taken' });
  if (outcome === 'code-rejected') throw wrongCode();
  return session(deps, user);
}

/**
 * 登录 — log in with a code.
 * 1. Verify and consume the code (purpose `login`; single use).
 * 2. Find the account of the phone; a disabled account cannot log in.
 * 3. Issue an access token.
 */
export async function login(deps: IdentityDeps, input: { phone: string; code: string }) {
  const codeHash = await verifyCode(deps, input.phone, 'login', input.code);
  const consumed = await deps.store.consumeCode({ phone: input.phone, purpose: 'login', codeHash, nowSeconds: Math.floor(deps.now().getTime() / 1000) });
  if (!consumed) throw wrongCode();
  const user = await deps.store.findUserByPhone(input.phone);
  // Only the number's owner gets this far, so saying "no account" reveals nothing to anyone else.
  if (!user) throw new UnauthenticatedError('This phone number has no account; register first', { id: 'auth.no-account' });
  if (user.status !== 'active') throw new ForbiddenError('This account is disabled', { id: 'auth.account-disabled' });
  return session(deps, user);
}

/**
 * 续期 — exchange a refresh token for a new access token and the family's next refresh token.
 * 1. Find the family the token names; unknown, expired or revoked → 401.
 * 2. Not the family's current token: it was used before, so a copy is in someone else's hands —
 *    revoke the whole family (the thief's and the owner's tokens alike) → 401.
 * 3. The account must still be active and the family not older than the user's session epoch.
 * 4. Rotate: replace the hash, on condition that it is still the presented one. Losing that race
 *    means the same token was used twice at once — a replay as well: revoke the family → 401.
 *    There is no grace window; clients with several tabs refresh once and share the result.
 */
export async function refreshSession(deps: Pick<IdentityDeps, 'store' | 'sessions' | 'tokens' | 'now'>, input: { refreshToken: string }) {
  const presented = parseRefreshToken(input.refreshToken);
  if (!presented) throw sessionEnded();
  const family = await deps.sessions.getSession(presented.familyId);
  const now = deps.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (!family || family.revoked || family.expiresAt <= nowSeconds) throw sessionEnded();
  if (!sameHash(presented.hash, family.tokenHash)) {
    await deps.sessions.revokeSession(family.familyId);
    throw sessionEnded();
  }
  const user = await deps.store.getUser(family.userId);
  if (!user || user.status !== 'active' || (user.sessionEpoch ?? 0) !== family.epoch) {
    await deps.sessions.revokeSession(family.familyId);
    throw sessionEnded();
  }
  const next = newRefreshToken(family.familyId);
  const rotated = await deps.sessions.rotateSession({
    familyId: family.familyId,
    fromHash: family.tokenHash,
    toHash: next.hash,
    at: now.toISOString(),
    expiresAt: nowSeconds + REFRESH_TOKEN_POLICY.lifetimeSeconds,
  });
  if (!rotated) {
    await deps.sessions.revokeSession(family.familyId);
    throw sessionEnded();
  }
  const { accessToken, expiresIn } = await deps.tokens.issue(principalOf(user), family.familyId);
  return { accessToken, expiresIn, refreshToken: next.token };
}

/**
 * 退出登录 — end the session (family) of a refresh token: its refresh token at once, its access tokens
 * within the session check's max age (at once in the container that answered). Idempotent: an unknown,
 * spent or someone else's token changes nothing and gets the same answer. Returns the ended session's id.
 */
export async function logout(deps: Pick<IdentityDeps, 'sessions'>, principal: Principal, input: { refreshToken: string }): Promise<string | undefined> {
  const presented = parseRefreshToken(input.refreshToken);
  if (!presented) return undefined;
  const family = await deps.sessions.getSession(presented.familyId);
  if (!family || family.userId !== principal.userId) return undefined;
  if (!family.revoked) await deps.sessions.revokeSession(family.familyId);
  return family.familyId;
}

/** 我的 — the caller's own account (full phone: they own it). */
export async function getMe(deps: Pick<IdentityDeps, 'store'>, principal: Principal) {
  const user = await deps.store.getUser(principal.userId);
  if (!user) throw new NotFoundError('Account not found', { id: 'account.not-found' });
  return userView(user, principal);
}

/**
 * Create a staff account (admin). Staff log in with SMS codes like citizens; the account fixes their
 * roles and department.
 */
export async function createStaff(
  deps: Pick<IdentityDeps, 'store' | 'now' | 'newId'> & { audit?: AuditLog | undefined },
  input: { phone: string; displayName: string; roles: Role[]; departmentId: string; gridIds?: string[] | undefined },
  actor: Principal | undefined,
  departments?: { get(id: string): unknown },
) {
  if (departments && !departments.get(input.departmentId)) {
    throw new ValidationError('Unknown department', [{ path: 'departmentId', message: `No department ${input.departmentId}` }], { id: 'reference.unknown-department' });
  }
  const user: User = {
    id: deps.newId(),
    phone: input.phone,
    displayName: input.displayName,
    roles: [...new Set(input.roles)],
    departmentId: input.departmentId,
    status: 'active',
    createdAt: deps.now().toISOString(),
    ...(input.gridIds?.length ? { gridIds: [...new Set(input.gridIds)] } : {}),
  };
  // Recorded with its actor: an admin, or (no principal) the operator's CLI (init-admin).
  const audit = deps.audit ? { log: deps.audit, input: { ...(actor ? actorOf(actor) : CLI_ACTOR), kind: 'staff.create' as const, target: user.id, after: staffAuditView(user) } } : undefined;
  if ((await deps.store.createUser(user, audit)) === 'phone-taken') {
    throw new ConflictError('This phone number already has an account', 'PHONE_TAKEN', { id: 'auth.phone-taken' });
  }
  return userView(user, actor);
}
