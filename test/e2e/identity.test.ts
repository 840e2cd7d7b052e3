import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';
import { latestCode, loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';
import { userModel } from '#shared/data/entities/identity';
import { send, write } from '#shared/data/operations';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let admin: Awaited<ReturnType<typeof loginAs>>;
beforeAll(async () => {
  platform = await startTestPlatform();
  admin = await loginAs(platform.url, '+8613800000001');
});
afterAll(async () => platform?.stop());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (token: string | undefined, body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) },
  body: JSON.stringify(body),
});

describe('identity over HTTP on the local platform', () => {
  it('registers a citizen with the code from /dev/outbox, logs in again with a new one, reads /v1/me', async () => {
    const phone = '13912345678';
    const registered = await loginAs(platform.url, phone, 'register', { displayName: '市民小王' });
    expect(registered.user).toMatchObject({ phone: '+8613912345678', roles: ['citizen'] });


    // Log in again with a new code (the register code is spent), then read the account.
    const loggedIn = await loginAs(platform.url, phone, 'login');
    expect(loggedIn.user.id).toBe(registered.user.id);
    expect(loggedIn.accessToken).not.toBe(registered.accessToken);
    const me = await platform.api('/v1/me', { headers: bearer(loggedIn.accessToken) });
    expect(me.status).toBe(200);
    expect(me.json.user).toEqual({ id: registered.user.id, phone: '+8613912345678', displayName: '市民小王', roles: ['citizen'] });
  });

  it('lets an admin create a handler, who logs in and sees role and department', async () => {
    expect(admin.user.roles).toEqual(['admin']);
    const created = await platform.api(
      '/v1/admin/staff',
      json(admin.accessToken, { phone: '13700000077', displayName: '处置人员 孙涛', roles: ['handler'], departmentId: 'yanfeng-street-brigade' }),
    );
    expect(created.status).toBe(201);
    expect(created.json.user.phone).toBe('+86 137****0077'); // masked: the admin is not the owner

    const handler = await loginAs(platform.url, '+8613700000077');
    const me = await platform.api('/v1/me', { headers: bearer(handler.accessToken) });
    expect(me.status).toBe(200);
    expect(me.json.user).toEqual({
      id: created.json.user.id,
      phone: '+8613700000077',
      displayName: '处置人员 孙涛',
      roles: ['handler'],
      departmentId: 'yanfeng-street-brigade',
    });
  });

  it('refuses staff in a department that does not exist', async () => {
    const response = await platform.api('/v1/admin/staff', json(admin.accessToken, { phone: '13700000066', displayName: 'x', roles: ['handler'], departmentId: 'no-such-brigade' }));
    expect(response.status).toBe(400);
    expect(response.json.error.details[0].path).toBe('departmentId');
  });

  it('forbids a citizen on an admin route (403) and changes nothing', async () => {
    const citizen = await loginAs(platform.url, '13912340000', 'register');
    const attempt = await platform.api('/v1/admin/staff', json(citizen.accessToken, { phone: '13700000088', displayName: 'x', roles: ['admin'], departmentId: 'city-bureau' }));
    expect(attempt.status).toBe(403);
    expect(attempt.json.error.code).toBe('FORBIDDEN');
    // No account was created for that phone: a login code leads nowhere.
    await platform.api('/v1/auth/sms-codes', json(undefined, { phone: '13700000088', purpose: 'login' }));
    const login = await platform.api('/v1/auth/login', json(undefined, { phone: '13700000088', code: await latestCode(platform.url, '+8613700000088') }));
    expect(login.status).toBe(401);
  });

  it('refuses missing, malformed and tampered tokens with 401', async () => {
    expect((await platform.api('/v1/me')).status).toBe(401);
    expect((await platform.api('/v1/me', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    const citizen = await loginAs(platform.url, '13912340001', 'register');
    const [h, p, s] = citizen.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url')}.${s}`;
    const response = await platform.api('/v1/admin/staff', json(forged, { phone: '13700000099', displayName: 'x', roles: ['admin'], departmentId: 'city-bureau' }));
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe('UNAUTHENTICATED');
  });

  it('stops honouring the token of an account once it is disabled (within the auth cache lifetime)', async () => {
    const citizen = await loginAs(platform.url, '13912340002', 'register');
    expect((await platform.api('/v1/me', { headers: bearer(citizen.accessToken) })).status).toBe(200);
    const db = { client: createDocumentClient({ region: 'us-east-1', endpoint: platform.dynamoEndpoint }), name: platform.tableName };
    await send(db, write.update(db, userModel, { id: citizen.user.id }, { set: { status: 'disabled' }, mustExist: true }));
    await new Promise((r) => setTimeout(r, 1100)); // AUTH_USER_CACHE_SECONDS=1 on the test platform
    expect((await platform.api('/v1/me', { headers: bearer(citizen.accessToken) })).status).toBe(401);
  });

  it('answers 429 with Retry-After to a resend inside the cooldown', async () => {
    const first = await platform.api('/v1/auth/sms-codes', json(undefined, { phone: '13912340003', purpose: 'register' }));
    expect(first.status).toBe(202);
    const second = await platform.api('/v1/auth/sms-codes', json(undefined, { phone: '13912340003', purpose: 'register' }));
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(50);
  });

  it('gives the same answer for registered and unknown phones', async () => {
    const known = await platform.api('/v1/auth/sms-codes', json(undefined, { phone: '+8613800000008', purpose: 'register' }));
    const unknown = await platform.api('/v1/auth/sms-codes', json(undefined, { phone: '13912349999', purpose: 'register' }));
    expect(known.status).toBe(unknown.status);
    expect(known.json).toEqual(unknown.json);
  });

  it('rejects an invalid phone with field details', async () => {
    const response = await platform.api('/v1/auth/sms-codes', json(undefined, { phone: '12345', purpose: 'login' }));
    expect(response.status).toBe(400);
    expect(response.json.error.details).toEqual([expect.objectContaining({ path: 'phone' })]);
  });
});
