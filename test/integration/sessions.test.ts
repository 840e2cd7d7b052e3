import { renderSms } from '#shared/domain/messaging/sms-templates';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityStore } from '#shared/data/identity-store';
import { createSessionStore } from '#shared/data/session-store';
import { UnauthenticatedError } from '#shared/domain/errors';
import { hashRefreshToken, REFRESH_TOKEN_POLICY } from '#shared/domain/identity/sessions';
import { createStaff, login, logout, refreshSession, register, requestCode, type IdentityDeps } from '#shared/domain/identity/use-cases';
import { deriveAuthKeys } from '#shared/adapters/secrets';
import { createTokenIssuer, createTokenVerifier } from '#shared/adapters/tokens';
import { createSessionCheck } from '#shared/domain/identity/session-check';
import { createTestTable } from '../support/table.ts';
import { sessionModel, userModel } from '#shared/data/entities/identity';
import { get, send, write } from '#shared/data/operations';

let table: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

/** Use cases over the real stores on DynamoDB Local; SMS captured in memory; a clock the test moves. */
function harness(start = Date.parse('2026-11-28T08:00:00Z')) {
  let clock = start;
  const sent: Array<{ phone: string; text: string }> = [];
  const keys = deriveAuthKeys('sessions-secret-'.repeat(3));
  const deps: IdentityDeps = {
    store: createIdentityStore(table.db),
    sessions: createSessionStore(table.db),
    sms: { send: async (phone, message) => void sent.push({ phone, text: renderSms(message, { signature: 'CityGrid' }) }) },
    tokens: createTokenIssuer(keys.signingJwk, 3600),
    pepper: keys.codePepper,
    now: () => new Date(clock),
    newId: () => randomUUID(),
  };
  const lastCode = (phone: string) => /\d{6}/.exec(sent.filter((s) => s.phone === phone).at(-1)!.text)![0];
  const citizen = async () => {
    const phone = `+86135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await requestCode(deps, { phone, purpose: 'register', ip: '198.51.100.7' });
    return { phone, session: await register(deps, { phone, code: lastCode(phone) }) };
  };
  return { deps, verifier: createTokenVerifier(keys.publicJwk, { maxLifetimeSeconds: 3600 }), citizen, lastCode, advance: (seconds: number) => (clock += seconds * 1000) };
}

const ended = UnauthenticatedError;

describe('refresh tokens on DynamoDB Local', () => {
  it('returns a refresh token on register and stores only its hash', async () => {
    const { citizen } = harness();
    const { session } = await citizen();
    expect(session.refreshToken).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
    const family = await get(table.db, sessionModel, { familyId: session.refreshToken.split('.')[0]! }, { consistent: true });
    expect(family).toMatchObject({ userId: session.user.id, tokenHash: hashRefreshToken(session.refreshToken), revoked: false });
    expect(JSON.stringify(family)).not.toContain(session.refreshToken.split('.')[1]);
  });

  it('rotates on every use: the new token works, the old one ends the whole family', async () => {
    const { deps, verifier, citizen } = harness();
    const { session } = await citizen();
    const first = await refreshSession(deps, { refreshToken: session.refreshToken });
    await expect(verifier.verify(first.accessToken)).resolves.toMatchObject({ userId: session.user.id });
    expect(first.refreshToken).not.toBe(session.refreshToken);
    expect(first.refreshToken.split('.')[0]).toBe(session.refreshToken.split('.')[0]); // same family
    const second = await refreshSession(deps, { refreshToken: first.refreshToken });

    // The first token again: a copy is being replayed — the family ends, the current token too.
    await expect(refreshSession(deps, { refreshToken: session.refreshToken })).rejects.toThrow(ended);
    await expect(refreshSession(deps, { refreshToken: second.refreshToken })).rejects.toThrow(ended);
  });

  it('lets exactly one of two parallel refreshes with the same token win, and then revokes the family', async () => {
    const { deps, citizen } = harness();
    const { session } = await citizen();
    const outcomes = await Promise.allSettled([refreshSession(deps, { refreshToken: session.refreshToken }), refreshSession(deps, { refreshToken: session.refreshToken })]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(ended);
    // No grace window: the winner's new token belongs to the revoked family.
    const winner = (won[0] as PromiseFulfilledResult<{ refreshToken: string }>).value;
    await expect(refreshSession(deps, { refreshToken: winner.refreshToken })).rejects.toThrow(ended);
  });

  it('keeps families apart: a replay in one login leaves another login of the same person working', async () => {
    const { deps, citizen, lastCode, advance } = harness();
    const { phone, session } = await citizen();
    advance(61);
    await requestCode(deps, { phone, purpose: 'login', ip: '198.51.100.7' });
    const otherDevice = await login(deps, { phone, code: lastCode(phone) });
    await refreshSession(deps, { refreshToken: session.refreshToken });
    await expect(refreshSession(deps, { refreshToken: session.refreshToken })).rejects.toThrow(ended);
    await expect(refreshSession(deps, { refreshToken: otherDevice.refreshToken })).resolves.toMatchObject({ expiresIn: 3600 });
  });

  it('refuses a token after 30 days, a forged secret and a malformed token', async () => {
    const { deps, citizen, advance } = harness();
    const { session } = await citizen();
    const [familyId] = session.refreshToken.split('.');
    await expect(refreshSession(deps, { refreshToken: 'not-a-token' })).rejects.toThrow(ended);
    const fresh = await citizen();
    const rotated = await refreshSession(deps, { refreshToken: fresh.session.refreshToken });
    advance(REFRESH_TOKEN_POLICY.lifetimeSeconds + 1);
    await expect(refreshSession(deps, { refreshToken: rotated.refreshToken })).rejects.toThrow(ended);
    // A made-up secret for a real family is treated as a replay (only holders of a token know the family id).
    await expect(refreshSession(deps, { refreshToken: `${familyId}.${'A'.repeat(43)}` })).rejects.toThrow(ended);
  });

  it('fails at once for a disabled account, whatever the auth cache holds', async () => {
    const { deps, citizen } = harness();
    const { session } = await citizen();
    await send(table.db, write.update(table.db, userModel, { id: session.user.id }, { set: { status: 'disabled' }, mustExist: true }));
    await expect(refreshSession(deps, { refreshToken: session.refreshToken })).rejects.toThrow(ended);
    await send(table.db, write.update(table.db, userModel, { id: session.user.id }, { set: { status: 'active' }, mustExist: true }));
    // The refusal revoked the family: enabling the account again does not bring the old session back.
    await expect(refreshSession(deps, { refreshToken: session.refreshToken })).rejects.toThrow(ended);
  });

  it('ends a family older than the user\'s session epoch', async () => {
    const { deps, citizen } = harness();
    const { session } = await citizen();
    await send(table.db, write.update(table.db, userModel, { id: session.user.id }, { set: { sessionEpoch: 1 }, mustExist: true }));
    await expect(refreshSession(deps, { refreshToken: session.refreshToken })).rejects.toThrow(ended);
  });

  it('logs out: the family ends; logging out twice or with a stranger\'s token changes nothing', async () => {
    const { deps, citizen } = harness();
    const a = await citizen();
    const b = await citizen();
    const principal = (s: typeof a.session) => ({ userId: s.user.id, roles: s.user.roles, displayName: s.user.displayName });
    await logout(deps, principal(a.session), { refreshToken: b.session.refreshToken }); // not A's session
    await expect(refreshSession(deps, { refreshToken: b.session.refreshToken })).resolves.toBeDefined();
    await logout(deps, principal(a.session), { refreshToken: a.session.refreshToken });
    await logout(deps, principal(a.session), { refreshToken: a.session.refreshToken });
    await expect(refreshSession(deps, { refreshToken: a.session.refreshToken })).rejects.toThrow(ended);
  });

  it('gives staff created by an admin refresh tokens at login too', async () => {
    const { deps, lastCode } = harness();
    const phone = '+8613600000123';
    await createStaff(deps, { phone, displayName: '坐席 李', roles: ['agent'], departmentId: 'city-bureau' }, undefined);
    await requestCode(deps, { phone, purpose: 'login', ip: '198.51.100.9' });
    const session = await login(deps, { phone, code: lastCode(phone) });
    await expect(refreshSession(deps, { refreshToken: session.refreshToken })).resolves.toMatchObject({ expiresIn: 3600 });
  });
});

/**
 * The session check of one container, over the real stores, with a clock the test moves: accounts cached
 * 10 s, sessions 60 s (the documented bound), so "within 60 s" is shown without waiting for it.
 */
function container(deps: IdentityDeps) {
  let clock = Date.now();
  const reads = { users: 0, sessions: 0 };
  const check = createSessionCheck({
    getUser: (id) => (reads.users++, deps.store.getUser(id)),
    getSession: (id) => (reads.sessions++, deps.sessions.getSession(id)),
    now: () => clock,
    userMaxAgeMs: 10_000,
    sessionMaxAgeMs: 60_000,
  });
  return { check, reads, advance: (seconds: number) => (clock += seconds * 1000) };
}

describe('access tokens of ended sessions (the session check)', () => {
  const principal = (s: { user: { id: string; roles: string[]; displayName: string } }) => ({ userId: s.user.id, roles: s.user.roles as never, displayName: s.user.displayName });

  it('carry their session; a logged-out session\'s tokens are refused within the session max age and never again', async () => {
    const { deps, verifier, citizen } = harness();
    const { session } = await citizen();
    const claims = await verifier.verify(session.accessToken);
    expect(claims).toEqual({ userId: session.user.id, sessionId: session.refreshToken.split('.')[0] });
    const { check, advance } = container(deps);
    expect(await check.isSessionActive(claims)).toMatchObject({ active: true, user: { id: session.user.id } });
    await logout(deps, principal(session), { refreshToken: session.refreshToken });
    advance(61);
    expect(await check.isSessionActive(claims)).toEqual({ active: false, reason: 'session-ended' });
    advance(3600);
    expect(await check.isSessionActive(claims)).toEqual({ active: false, reason: 'session-ended' });
    // In the container that answered the logout, at once.
    const other = await citizen();
    const here = container(deps);
    const otherClaims = await verifier.verify(other.session.accessToken);
    expect(await here.check.isSessionActive(otherClaims)).toMatchObject({ active: true });
    const ended = await logout(deps, principal(other.session), { refreshToken: other.session.refreshToken });
    here.check.endSession(ended!);
    expect(await here.check.isSessionActive(otherClaims)).toEqual({ active: false, reason: 'session-ended' });
  });

  it('refuses every access token of a family a reused refresh token revoked, those before and after the rotation', async () => {
    const { deps, verifier, citizen } = harness();
    const { session } = await citizen();
    const rotated = await refreshSession(deps, { refreshToken: session.refreshToken });
    const { check, advance } = container(deps);
    for (const token of [session.accessToken, rotated.accessToken]) expect(await check.isSessionActive(await verifier.verify(token))).toMatchObject({ active: true });
    await expect(refreshSession(deps, { refreshToken: session.refreshToken })).rejects.toThrow(ended); // the replay
    advance(61);
    for (const token of [session.accessToken, rotated.accessToken]) expect(await check.isSessionActive(await verifier.verify(token))).toEqual({ active: false, reason: 'session-ended' });
  });

  it('refuses every session of a disabled person, and still after they are enabled again; a new login works', async () => {
    const { deps, verifier, lastCode, advance: advanceCodes } = harness();
    const phone = `+86136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const staffer = await createStaff(deps, { phone, displayName: '处置 郑', roles: ['handler'], departmentId: 'city-bureau' }, undefined);
    const logIn = async () => {
      advanceCodes(61);
      await requestCode(deps, { phone, purpose: 'login', ip: '198.51.100.9' });
      return login(deps, { phone, code: lastCode(phone) });
    };
    const [phoneSession, laptopSession] = [await logIn(), await logIn()];
    const { check, advance } = container(deps);
    const tokens = [await verifier.verify(phoneSession.accessToken), await verifier.verify(laptopSession.accessToken)];
    for (const claims of tokens) expect(await check.isSessionActive(claims)).toMatchObject({ active: true });
    expect(await deps.store.updateStaff(staffer.id, { status: 'disabled' })).toMatchObject({ status: 'disabled' });
    advance(11);
    for (const claims of tokens) expect(await check.isSessionActive(claims)).toEqual({ active: false, reason: 'account-inactive' });
    expect(await deps.store.updateStaff(staffer.id, { status: 'active' })).toMatchObject({ status: 'active' });
    advance(61);
    for (const claims of tokens) expect(await check.isSessionActive(claims)).toEqual({ active: false, reason: 'session-ended' });
    // A new login after the re-enable works, in the same container at once (its cached account is older than the session).
    const fresh = await logIn();
    expect(await check.isSessionActive(await verifier.verify(fresh.accessToken))).toMatchObject({ active: true });
  });

  it('refuses a cancelled account: within the account max age elsewhere, at once where it was cancelled', async () => {
    const { deps, verifier, citizen } = harness();
    const { session } = await citizen();
    const claims = await verifier.verify(session.accessToken);
    const here = container(deps);
    const elsewhere = container(deps);
    for (const c of [here, elsewhere]) expect(await c.check.isSessionActive(claims)).toMatchObject({ active: true });
    await deps.store.deleteAccount({ id: session.user.id, phone: session.user.phone });
    here.check.endAccount(session.user.id);
    expect(await here.check.isSessionActive(claims)).toEqual({ active: false, reason: 'account-inactive' });
    elsewhere.advance(11);
    expect(await elsewhere.check.isSessionActive(claims)).toEqual({ active: false, reason: 'account-inactive' });
  });

  it('reads the account and the session at most once per max age per container, whatever the traffic', async () => {
    const { deps, verifier, citizen } = harness();
    const { session } = await citizen();
    const claims = await verifier.verify(session.accessToken);
    const { check, reads, advance } = container(deps);
    for (let i = 0; i < 50; i++) await check.isSessionActive(claims);
    expect(reads).toEqual({ users: 1, sessions: 1 });
    advance(30);
    for (let i = 0; i < 50; i++) await check.isSessionActive(claims);
    expect(reads).toEqual({ users: 2, sessions: 1 });
    advance(31);
    await check.isSessionActive(claims);
    expect(reads).toEqual({ users: 3, sessions: 2 });
  });

  it('refuses a session id that belongs to another person', async () => {
    const { deps, verifier, citizen } = harness();
    const a = await citizen();
    const b = await citizen();
    const { check } = container(deps);
    const claims = await verifier.verify(a.session.accessToken);
    expect(await check.isSessionActive({ userId: claims.userId, sessionId: b.session.refreshToken.split('.')[0]! })).toEqual({ active: false, reason: 'session-ended' });
  });
});
