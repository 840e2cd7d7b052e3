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
  return { deps, verifier: createTokenVerifier(keys.publicJwk), citizen, lastCode, advance: (seconds: number) => (clock += seconds * 1000) };
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
    await expect(verifier.verify(first.accessToken)).resolves.toEqual({ userId: session.user.id });
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
