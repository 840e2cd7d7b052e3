import { randomUUID } from 'node:crypto';
import { renderSms } from '#shared/domain/messaging/sms-templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityStore } from '#shared/data/identity-store';
import { createSessionStore } from '#shared/data/session-store';
import { ConflictError, RateLimitedError, UnauthenticatedError } from '#shared/domain/errors';
import { SMS_CODE_POLICY } from '#shared/domain/identity/policy';
import { createStaff, login, register, requestCode, type IdentityDeps } from '#shared/domain/identity/use-cases';
import { deriveAuthKeys } from '#shared/adapters/secrets';
import { createTokenIssuer, createTokenVerifier } from '#shared/adapters/tokens';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => table.drop());

/** Use cases over the real store; SMS captured in memory; a clock the test moves. */
function harness(start = Date.parse('2026-11-28T08:00:00Z')) {
  let clock = start;
  const sent: Array<{ phone: string; text: string }> = [];
  const keys = deriveAuthKeys('integration-secret-'.repeat(3));
  const verifier = createTokenVerifier(keys.publicJwk, { maxLifetimeSeconds: 3600 });
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
  return { deps, verifier, sent, lastCode, advance: (seconds: number) => (clock += seconds * 1000) };
}

let phoneSeq = 0;
const newPhone = () => `+86139${String(Date.now() % 100000).padStart(5, '0')}${String(++phoneSeq).padStart(3, '0')}`;
const ip = () => `203.0.113.${phoneSeq % 250}`;
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('SMS registration and login on DynamoDB Local', () => {
  it('registers with a code, then logs in with a new one', async () => {
    const { deps, verifier, lastCode, advance } = harness();
    const phone = newPhone();
    await requestCode(deps, { phone, purpose: 'register', ip: ip() });
    const session = await register(deps, { phone, code: lastCode(phone), displayName: '张三' });
    expect(session.user).toMatchObject({ phone, displayName: '张三', roles: ['citizen'] });
    advance(61);
    await requestCode(deps, { phone, purpose: 'login', ip: ip() });
    const again = await login(deps, { phone, code: lastCode(phone) });
    expect(again.user.id).toBe(session.user.id);
    await expect(verifier.verify(again.accessToken)).resolves.toMatchObject({ userId: session.user.id });
  });

  it('kills a code after the 5th wrong try, even if the right code comes next', async () => {
    const { deps, lastCode } = harness();
    const phone = newPhone();
    await requestCode(deps, { phone, purpose: 'register', ip: ip() });
    const code = lastCode(phone);
    const tries = await Promise.allSettled(Array.from({ length: 6 }, () => register(deps, { phone, code: wrong(code) })));
    expect(tries.every((t) => t.status === 'rejected' && t.reason instanceof UnauthenticatedError)).toBe(true);
    expect((await deps.store.getCode(phone, 'register'))!.attempts).toBe(SMS_CODE_POLICY.maxWrongAttempts);
    await expect(register(deps, { phone, code })).rejects.toThrow(UnauthenticatedError);
    expect(await deps.store.findUserByPhone(phone)).toBeUndefined();
  });

  it('refuses an expired code with 401 and creates nothing', async () => {
    const { deps, lastCode, advance } = harness();
    const phone = newPhone();
    await requestCode(deps, { phone, purpose: 'register', ip: ip() });
    advance(SMS_CODE_POLICY.lifetimeSeconds + 1);
    await expect(register(deps, { phone, code: lastCode(phone) })).rejects.toThrow(UnauthenticatedError);
    expect(await deps.store.findUserByPhone(phone)).toBeUndefined();
  });

  it('refuses a code used once already', async () => {
    const { deps, lastCode, advance } = harness();
    const phone = newPhone();
    await requestCode(deps, { phone, purpose: 'register', ip: ip() });
    await register(deps, { phone, code: lastCode(phone) });
    advance(61);
    await requestCode(deps, { phone, purpose: 'login', ip: ip() });
    const code = lastCode(phone);
    await login(deps, { phone, code });
    await expect(login(deps, { phone, code })).rejects.toThrow(UnauthenticatedError);
  });

  it('does not accept a register code for login', async () => {
    const { deps, lastCode } = harness();
    const phone = newPhone();
    await createStaff(deps, { phone, displayName: '处置人员', roles: ['handler'], departmentId: 'yanfeng-street-brigade' }, undefined);
    await requestCode(deps, { phone, purpose: 'register', ip: ip() });
    await expect(login(deps, { phone, code: lastCode(phone) })).rejects.toThrow(UnauthenticatedError);
  });

  it('creates exactly one account when 20 registrations of one phone race', async () => {
    const { deps, lastCode } = harness();
    const phone = newPhone();
    await requestCode(deps, { phone, purpose: 'register', ip: ip() });
    const code = lastCode(phone);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => register(deps, { phone, code, displayName: `racer ${i}` })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = results.find((r) => r.status === 'fulfilled')!;
    expect((await deps.store.findUserByPhone(phone))!.id).toBe(winner.value.user.id);
  });

  it('answers PHONE_TAKEN to a verified registration of a phone that has an account', async () => {
    const { deps, lastCode } = harness();
    const phone = newPhone();
    await createStaff(deps, { phone, displayName: '监督员', roles: ['supervisor'], departmentId: 'city-bureau' }, undefined);
    await requestCode(deps, { phone, purpose: 'register', ip: ip() });
    const attempt = register(deps, { phone, code: lastCode(phone) });
    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toMatchObject({ code: 'PHONE_TAKEN' });
  });

  it('enforces the 60 s resend cooldown under concurrency', async () => {
    const { deps, sent } = harness();
    const phone = newPhone();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => requestCode(deps, { phone, purpose: 'login', ip: ip() })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected')!;
    expect(refused.reason).toBeInstanceOf(RateLimitedError);
    expect(refused.reason.retryAfterSeconds).toBeGreaterThan(55);
    expect(sent.filter((s) => s.phone === phone)).toHaveLength(1);
  });

  it('refuses the 6th send within the hour with a Retry-After to the next window', async () => {
    const { deps, advance } = harness(Date.parse('2026-11-28T09:00:00Z'));
    const phone = newPhone();
    for (let i = 0; i < SMS_CODE_POLICY.maxSendsPerPhonePerHour; i++) {
      await requestCode(deps, { phone, purpose: 'login', ip: ip() });
      advance(61);
    }
    const sixth = requestCode(deps, { phone, purpose: 'login', ip: ip() });
    await expect(sixth).rejects.toThrow(RateLimitedError);
    await expect(sixth).rejects.toMatchObject({ retryAfterSeconds: 3600 - 5 * 61 });
    advance(3600);
    await expect(requestCode(deps, { phone, purpose: 'login', ip: ip() })).resolves.toBeDefined();
  });

  it('withdraws the code when the SMS cannot be sent, so a retry is not locked out by the cooldown', async () => {
    const { deps } = harness();
    const phone = newPhone();
    const failing = { ...deps, sms: { send: async () => { throw new Error('SNS throttled'); } } };
    await expect(requestCode(failing, { phone, purpose: 'login', ip: ip() })).rejects.toThrow('SNS throttled');
    expect(await deps.store.getCode(phone, 'login')).toBeUndefined();
    await expect(requestCode(deps, { phone, purpose: 'login', ip: ip() })).resolves.toBeDefined();
  });

  it('sends codes only to the allowed countries (SMS toll-fraud guard)', async () => {
    const { deps, sent } = harness();
    await expect(requestCode(deps, { phone: '+882123456789', purpose: 'register', ip: ip() })).rejects.toMatchObject({ details: [{ path: 'phone' }] });
    expect(sent).toHaveLength(0);
  });

  it('caps sends per client IP across phones', async () => {
    const { deps } = harness(Date.parse('2026-11-28T10:00:00Z'));
    const sharedIp = '198.51.100.200';
    const results = await Promise.allSettled(
      Array.from({ length: SMS_CODE_POLICY.maxSendsPerIpPerHour + 5 }, () => requestCode(deps, { phone: newPhone(), purpose: 'register', ip: sharedIp })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(SMS_CODE_POLICY.maxSendsPerIpPerHour);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof RateLimitedError)).toBe(true);
  });
});

describe('staff of a department (gsi1, sparse)', () => {
  it('lists a department\'s staff, not other departments\' and never citizens', async () => {
    const store = createIdentityStore(table.db);
    const at = new Date().toISOString();
    const user = (id: string, phone: string, departmentId?: string) => ({ id, phone, displayName: id, roles: departmentId ? (['dispatcher'] as const) : (['citizen'] as const), ...(departmentId ? { departmentId } : {}), status: 'active' as const, createdAt: at });
    await store.createUser({ ...user('d1', '+8613700000101', 'dept-a'), roles: ['dispatcher'] });
    await store.createUser({ ...user('d2', '+8613700000102', 'dept-a'), roles: ['dispatcher'] });
    await store.createUser({ ...user('d3', '+8613700000103', 'dept-b'), roles: ['dispatcher'] });
    await store.createUser({ ...user('c1', '+8613700000104'), roles: ['citizen'] });
    const staff = await store.listDepartmentStaff('dept-a');
    expect(staff.map((u) => u.id).sort()).toEqual(['d1', 'd2']);
    expect(staff[0]).not.toHaveProperty('departmentKey');
    expect(await store.listDepartmentStaff('-')).toEqual([]); // citizens' placeholder is not an index key
  });
});
