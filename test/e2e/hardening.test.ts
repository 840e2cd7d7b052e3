import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';
import { sign } from '#shared/domain/hotline/signature';
import { latestCode, loginAs } from '../support/auth.ts';
import { readyPhoto } from '../support/photos.ts';
import { startTestPlatform } from '../support/platform.ts';
import { photoModel } from '#shared/data/entities/photo';
import { send, write } from '#shared/data/operations';

/** Regression tests for the defects of the attack pass (hardening): each would fail on the code before it. */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let db: Table;
const people: Record<string, { token: string; id: string; displayName: string }> = {};
const PHONES = {
  citizen: '13912340001',
  otherCitizen: '13912340002',
  agent: '+8613800000002',
  supervisor: '+8613800000003',
  districtDispatcher: '+8613800000005',
  brigadeDispatcher: '+8613800000006',
  handler: '+8613800000007',
  admin: '+8613800000001',
} as const;
type Who = keyof typeof PHONES;

beforeAll(async () => {
  platform = await startTestPlatform();
  db = { client: createDocumentClient({ region: 'us-east-1', endpoint: platform.dynamoEndpoint }), name: platform.tableName };
  for (const [who, phone] of Object.entries(PHONES)) {
    const session = await loginAs(platform.url, phone, who.toLowerCase().includes('citizen') ? 'register' : 'login');
    people[who] = { token: session.accessToken, id: session.user.id, displayName: (session.user as unknown as { displayName: string }).displayName };
  }
}, 120_000);
afterAll(async () => platform?.stop());

const call = (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  platform.api(path, {
    method,
    headers: { authorization: `Bearer ${people[who]!.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
const report = (who: Who, extra: Record<string, unknown> = {}) => call(who, 'POST', '/v1/cases', { description: '井盖缺失', location: { lat: 26.879, lng: 112.613 }, ...extra });
const expectValidation = (response: { status: number; json: any }, path?: string) => {
  expect(response.status).toBe(400);
  expect(response.json.error.code).toBe('VALIDATION_FAILED');
  if (path) expect(response.json.error.details.map((d: { path: string }) => d.path)).toContain(path);
};

describe('cursors are opaque, signed and bound to the list and the caller', () => {
  const forged = ['{}', '[]', '"x"', '1', '{"pk":"x","sk":"y"}'].map((text) => Buffer.from(text).toString('base64'));

  it('pages through a list with nextCursor and refuses tampered, made-up and foreign cursors with 400', async () => {
    for (let i = 0; i < 3; i++) expect((await report('citizen')).status).toBe(201);
    const first = await call('citizen', 'GET', '/v1/me/cases?limit=1');
    const mine = first.json.nextCursor as string;
    expect(mine).toMatch(/^c1\.[\w-]+\.[\w-]+$/);
    const second = await call('citizen', 'GET', `/v1/me/cases?limit=1&cursor=${encodeURIComponent(mine)}`);
    expect(second.status).toBe(200);
    expect(second.json.items[0].id).not.toBe(first.json.items[0].id);

    const queue = (await call('agent', 'GET', '/v1/cases?status=reported&limit=1')).json.nextCursor as string;
    const outbox = (await platform.api('/dev/outbox?limit=1')).json.nextCursor as string;
    expect((await platform.api(`/dev/outbox?limit=1&cursor=${encodeURIComponent(outbox)}`)).status).toBe(200);
    const tampered = `${mine.slice(0, -2)}${mine.at(-2) === 'A' ? 'B' : 'A'}${mine.slice(-1)}`; // always a different character
    const cases: Array<[Who | 'dev', string, string]> = [
      ['otherCitizen', '/v1/me/cases', mine], // another user's cursor
      ['citizen', '/v1/me/cases', queue], // another list's cursor
      ['agent', '/v1/cases?status=filed', queue], // the same route, another filter
      ['agent', '/v1/cases?status=reported', mine],
      ['citizen', '/v1/me/cases', tampered],
      ['dev', '/dev/outbox', mine],
      ['agent', '/v1/cases?status=reported', outbox],
      ...forged.flatMap((cursor): Array<[Who | 'dev', string, string]> => [
        ['citizen', '/v1/me/cases', cursor],
        ['agent', '/v1/cases?status=reported', cursor],
        ['dev', '/dev/outbox', cursor],
      ]),
    ];
    for (const [who, path, cursor] of cases) {
      const url = `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
      const response = who === 'dev' ? await platform.api(url) : await call(who, 'GET', url);
      expectValidation(response, 'query.cursor');
    }
  });
});

describe('bad input is a 400, never a 500', () => {
  it('refuses a photo listed twice (report and complete) and keys that are not upload keys', async () => {
    const key = await readyPhoto(db, people.citizen!.id, 'before');
    const twice = await report('citizen', { photoKeys: [key, key] });
    expectValidation(twice, 'photoKeys');
    expect(JSON.stringify(twice.json)).toContain('A photo is listed twice');
    expectValidation(await report('citizen', { photoKeys: [`uploads/before/${'a'.repeat(3000)}.jpg`] }), 'photoKeys.0');
    expectValidation(await report('citizen', { photoKeys: ['uploads/x/before/a.jpg'] }), 'photoKeys.0');
    const id = randomUUID();
    const after = await readyPhoto(db, people.handler!.id, 'after');
    expectValidation(await call('handler', 'POST', `/v1/cases/${id}/complete`, { photoKeys: [after, after] }), 'photoKeys');
  });

  it('rounds coordinates to 7 decimals, so numbers DynamoDB cannot store never reach it', async () => {
    const tiny = await report('citizen', { location: { lat: 1e-320, lng: -5e-324 } });
    expect(tiny.status).toBe(201);
    expect(tiny.json.case.location).toEqual({ lat: 0, lng: 0 });
    const precise = await report('citizen', { location: { lat: 26.879123456789, lng: 112.61312345678 } });
    expect(precise.json.case.location).toEqual({ lat: 26.8791235, lng: 112.6131235 });
    const ticket = await deliverTicket({ ...ticketBody(`T-TINY-${randomUUID()}`), location: { lat: 1e-320, lng: -5e-324 } });
    expect(ticket.status).toBe(202);
  });

  it('refuses a grid too large for one item with a clear message, at once', async () => {
    const ring = (p: number) => [...Array.from({ length: 449 }, (_, i) => [112.6 + p * 0.001 + i * 1e-9, 26.8 + 0.123456789012345 * (i % 7)]), [112.6 + p * 0.001, 26.8]];
    const closed = (p: number) => {
      const r = ring(p);
      r[0] = r.at(-1)!;
      return r;
    };
    const geometry = { type: 'MultiPolygon', coordinates: Array.from({ length: 100 }, (_, p) => [closed(p)]) };
    const body = JSON.stringify({ type: 'Feature', properties: { name: '大网格', community: '社区', street: '街道', district: '区' }, geometry });
    expect(body.length).toBeGreaterThan(1_500_000);
    const started = Date.now();
    const response = await call('admin', 'PUT', '/v1/admin/grids/too-big', body);
    expectValidation(response, 'geometry');
    expect(response.json.error.details[0].message).toMatch(/a grid holds at most 350000/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers a 70 kB URL with 431 in the error shape', async () => {
    const response = await fetch(`${platform.url}/v1/health?x=${'a'.repeat(70_000)}`);
    expect(response.status).toBe(431);
    expect(await response.json()).toMatchObject({ error: { code: 'HEADERS_TOO_LARGE', message: expect.stringMatching(/^请求头字段过大/) } });
  });

  it('answers header fields too large with 431 saying so, in English on request (not "internal error")', async () => {
    const raw = (head: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = new URL(platform.url);
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(`GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('utf8')));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    const english = await raw('Accept-Language: en-US,en;q=0.9\r\n');
    expect(english).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(english.slice(english.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'HEADERS_TOO_LARGE', message: expect.stringMatching(/^Request header fields too large/) } });
    const chinese = await raw('');
    expect(JSON.parse(chinese.slice(chinese.indexOf('\r\n\r\n') + 4)).error.message).toMatch(/^请求头字段过大/);
  });

  it('takes only decimal numbers in queries', async () => {
    for (const query of ['lat=%20&lng=112.613', 'lat=0x1A&lng=112.613', 'lat=26.879&lng=1e2', 'lat=&lng=112.613', 'lat=Infinity&lng=1']) {
      expectValidation(await call('citizen', 'GET', `/v1/grids/locate?${query}`));
    }
    expectValidation(await call('citizen', 'GET', '/v1/me/cases?limit=0x10'), 'query.limit');
    expectValidation(await call('citizen', 'GET', '/v1/me/cases?limit=%2016'), 'query.limit');
    expect((await call('citizen', 'GET', '/v1/me/cases?limit=16')).status).toBe(200);
    expect((await call('citizen', 'GET', '/v1/grids/locate?lat=26.879&lng=112.613')).status).toBe(200);
  });

  it('refuses an empty number in a query (it is not 0) on every route that takes numbers', async () => {
    for (const query of ['lat=&lng=', 'lat=&lng=112.613', 'lat=26.879&lng=', 'lat=%20&lng=112.613', 'lat=26.879&lng=112.613&radius=', 'lat=0x1A&lng=112.613', 'lat=26.879&lng=112.613&radius=1e2']) {
      expectValidation(await call('citizen', 'GET', `/v1/cases/nearby?${query}`));
    }
    expect((await call('citizen', 'GET', '/v1/cases/nearby?lat=26.879&lng=112.613&radius=300')).status).toBe(200);
    const { json } = await report('citizen');
    expectValidation(await call('agent', 'GET', `/v1/cases/${json.case.id}/similar?radius=`), 'query.radius');
    expect((await call('agent', 'GET', `/v1/cases/${json.case.id}/similar`)).status).toBe(200);
  });

  it('refuses query parameters a signed-in route does not take, also on routes that take none', async () => {
    expectValidation(await call('supervisor', 'GET', '/v1/me/tasks?status=open'), 'query');
    expectValidation(await call('citizen', 'GET', '/v1/me?constructor=x'), 'query');
    expectValidation(await call('citizen', 'GET', '/v1/categories?__proto__=x'), 'query');
    expect((await call('supervisor', 'GET', '/v1/me/tasks')).status).toBe(200);
    expect((await platform.api('/v1/health?probe=1')).status).toBe(200); // public answers ignore them
  });

  it('accepts a Chinese description of 2 characters or more (code points, trimmed)', async () => {
    for (const description of ['井盖缺失', '沿街晾挂', '占道经营', '积水']) expect((await report('citizen', { description })).status).toBe(201);
    for (const description of ['井', '  井  ', '😀', '']) expectValidation(await report('citizen', { description }), 'description');
  });
});

describe('what a reporter sees', () => {
  it('names no staff member: public actor names, the department only, photo keys without user ids', async () => {
    // Photos stored under the earlier key format, which carried the uploader's id.
    const legacyKey = async (ownerId: string, kind: 'before' | 'after') => {
      const photoKey = `uploads/${ownerId}/${kind}/${randomUUID()}.jpg`;
      await send(db, write.put(db, photoModel, { photoKey, ownerId, kind, contentType: 'image/jpeg', declaredSize: 1000, status: 'ready', width: 10, height: 10, size: 1000, createdAt: new Date().toISOString() }, { create: true }));
      return photoKey;
    };
    const before = await legacyKey(people.citizen!.id, 'before');
    const id = (await report('citizen', { photoKeys: [before] })).json.case.id as string;
    expect((await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0503', note: '内部备注：已核实' })).status).toBe(200);
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-district-bureau' })).status).toBe(200);
    expect((await call('districtDispatcher', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: people.handler!.id })).status).toBe(200);

    // Nothing below a brigade: dispatching on without a target asks for a handler.
    const stuck = await call('brigadeDispatcher', 'POST', `/v1/cases/${id}/dispatch`, {});
    expectValidation(stuck, 'assigneeId');
    expect(JSON.stringify(stuck.json.error.details)).toMatch(/handler|处置/); // the field says a handler is needed (the message follows Accept-Language)

    const after = await legacyKey(people.handler!.id, 'after');
    expect((await call('handler', 'POST', `/v1/cases/${id}/complete`, { photoKeys: [after], note: '已处置' })).status).toBe(200);

    const seen = await call('citizen', 'GET', `/v1/cases/${id}`);
    expect(seen.status).toBe(200);
    // The case names its reporter (the caller themself); nothing else names anyone.
    const { reporterId, ...rest } = seen.json.case;
    expect(reporterId).toBe(people.citizen!.id);
    const photoKeys = [...seen.json.photos.before, ...seen.json.photos.after].map((p: { photoKey: string }) => p.photoKey);
    const text = JSON.stringify({ case: rest, timeline: seen.json.timeline, photoKeys });
    for (const who of ['agent', 'districtDispatcher', 'handler', 'citizen'] as const) {
      expect(text).not.toContain(people[who]!.id);
      if (who !== 'citizen') expect(text).not.toContain(people[who]!.displayName);
    }
    expect(seen.json.case.assignment).toEqual({ departmentId: 'yanfeng-street-brigade', departmentName: '雁峰街道城管大队' });
    for (const event of seen.json.timeline) expect(Object.keys(event.actor).sort()).toEqual(['displayName', 'role']);
    const byAction = (action: string) => seen.json.timeline.filter((e: { action: string }) => e.action === action);
    expect(byAction('report')[0].actor).toEqual({ role: 'citizen', displayName: '市民' });
    expect(byAction('file')[0].actor).toEqual({ role: 'agent', displayName: '受理坐席' });
    expect(byAction('dispatch').map((e: { actor: { displayName: string } }) => e.actor.displayName)).toEqual(['受理坐席', '雁峰区城管执法局']);
    expect(byAction('complete')[0].actor).toEqual({ role: 'handler', displayName: '雁峰街道城管大队' });
    expect(byAction('complete')[0].photoKeys[0]).toMatch(/^uploads\/after\/[0-9a-f-]{36}\.jpg$/);
    expect(seen.json.photos.before[0].photoKey).toMatch(/^uploads\/before\/[0-9a-f-]{36}\.jpg$/);
    expect(JSON.stringify(seen.json.timeline)).not.toContain('内部备注');

    // Staff keep everything.
    const staff = await call('agent', 'GET', `/v1/cases/${id}`);
    expect(staff.json.case.assignment).toMatchObject({ assigneeId: people.handler!.id, assigneeName: people.handler!.displayName });
    expect(staff.json.timeline.find((e: { action: string }) => e.action === 'complete').actor).toMatchObject({ id: people.handler!.id, displayName: people.handler!.displayName });
    expect(staff.json.photos.after[0].photoKey).toBe(after);

    // The reporter's list shows the same case the same way.
    const listed = (await call('citizen', 'GET', '/v1/me/cases?limit=100')).json.items.find((c: { id: string }) => c.id === id);
    expect(JSON.stringify(listed)).not.toContain(people.handler!.id);
  });
});

const ticketBody = (ticketId: string, receivedAt = new Date(Date.now() - 3600_000).toISOString()) => ({
  ticketId,
  callerPhone: '13912377777',
  description: '楼顶灯光招牌太亮',
  location: { lat: 26.879, lng: 112.613 },
  receivedAt,
});
const deliverTicket = (ticket: unknown, tweak: (signature: string) => string = (s) => s) => {
  const body = JSON.stringify(ticket);
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return platform.api('/v1/hotline/tickets', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': tweak(sign(platform.secrets.HOTLINE_WEBHOOK_SECRET, id, timestamp, body)) },
    body,
  });
};
const smsTo = async (phone: string) => ((await platform.api('/dev/outbox?limit=100')).json.items as Array<{ channel: string; destination: string; body: string }>).filter((m) => m.channel === 'sms' && m.destination === phone);

describe('the hotline webhook', () => {
  it('refuses the same ticketId with another body (409), and receivedAt outside 30 days back / 5 minutes ahead (400)', async () => {
    const ticket = ticketBody(`T-${randomUUID()}`);
    expect((await deliverTicket(ticket)).status).toBe(202);
    expect((await deliverTicket(ticket)).status).toBe(200);
    const changed = await deliverTicket({ ...ticket, description: '另一个问题' });
    expect(changed.status).toBe(409);
    expect(changed.json.error.code).toBe('CONFLICT');
    // Another place is another body too (the hash covers nested fields), and key order is not.
    expect((await deliverTicket({ ...ticket, location: { lat: 26.9, lng: 112.6 } })).status).toBe(409);
    expect((await deliverTicket({ ...ticket, location: { lng: ticket.location.lng, lat: ticket.location.lat } })).status).toBe(200);
    for (const receivedAt of ['1900-01-01T00:00:00Z', new Date(Date.now() - 31 * 86_400_000).toISOString(), new Date(Date.now() + 3600_000).toISOString()]) {
      expectValidation(await deliverTicket(ticketBody(`T-${randomUUID()}`, receivedAt)), 'receivedAt');
    }
    expect((await deliverTicket(ticketBody(`T-${randomUUID()}`, new Date(Date.now() - 29 * 86_400_000).toISOString()))).status).toBe(202);
  });

  it('refuses a signature with a character appended', async () => {
    expect((await deliverTicket(ticketBody(`T-${randomUUID()}`), (s) => `${s}A`)).status).toBe(401);
    expect((await deliverTicket(ticketBody(`T-${randomUUID()}`), (s) => s.replace(/=+$/, ''))).status).toBe(401);
  });

  it('keeps a ticket from a number outside the SMS prefixes but never texts it; others get the date of the call', async () => {
    const foreign = await deliverTicket({ ...ticketBody(`T-${randomUUID()}`), callerPhone: '+14155550100' });
    expect(foreign.status).toBe(202);
    // Received ten days ago at 10:00 in Shanghai: the SMS names that day, not today.
    const receivedAt = new Date(Date.now() - 10 * 86_400_000);
    receivedAt.setUTCHours(2, 0, 0, 0);
    const local = await deliverTicket({ ...ticketBody(`T-${randomUUID()}`, receivedAt.toISOString()), callerPhone: '13912355555' });
    for (const caseId of [foreign.json.caseId, local.json.caseId]) expect((await call('agent', 'POST', `/v1/cases/${caseId}/file`, { categoryCode: 'E0503' })).status).toBe(200);
    await platform.settle();
    expect(await smsTo('+14155550100')).toEqual([]);
    const [filed] = await smsTo('+8613912355555');
    const day = receivedAt.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric' });
    expect(filed?.body).toContain(`您${day}反映的问题已受理立案`);
  });
});

describe('responses and origins', () => {
  it('marks every authenticated response no-store, errors included', async () => {
    expect((await call('citizen', 'GET', '/v1/me')).headers.get('cache-control')).toBe('no-store');
    const missing = await call('citizen', 'GET', `/v1/cases/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect((await platform.api('/v1/me')).headers.get('cache-control')).toBe('no-store'); // 401
    expect((await platform.api('/dev/outbox')).headers.get('cache-control')).toBe('no-store');
  });

  it('marks the answers that carry tokens no-store: register, login, refresh (and their refusals)', async () => {
    const post = (path: string, body: unknown) => fetch(`${platform.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const phone = '13912340077';
    expect((await post('/v1/auth/sms-codes', { phone, purpose: 'register' })).headers.get('cache-control')).toBe('no-store');
    const registered = await post('/v1/auth/register', { phone, code: await latestCode(platform.url, `+86${phone}`) });
    expect(registered.status).toBe(201);
    expect(registered.headers.get('cache-control')).toBe('no-store');
    const { refreshToken } = (await registered.json()) as { refreshToken: string };
    await post('/v1/auth/sms-codes', { phone, purpose: 'login' });
    const login = await post('/v1/auth/login', { phone, code: await latestCode(platform.url, `+86${phone}`) });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const refreshed = await post('/v1/auth/refresh', { refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('cache-control')).toBe('no-store');
    const refused = await post('/v1/auth/login', { phone, code: '000000' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${platform.url}/v1/health`)).headers.get('cache-control')).not.toBe('no-store'); // public reads may be cached
  });

  it('allows CORS for configured origins only, and /dev/* for same-origin and non-browser calls only', async () => {
    const preflight = (origin: string, path = '/v1/cases') =>
      fetch(`${platform.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('http://localhost:5173')).headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect((await preflight('http://localhost:5173', '/dev/outbox')).headers.get('access-control-allow-origin')).toBeNull();
    const me = await fetch(`${platform.url}/v1/me`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${people.citizen!.token}` } });
    expect(me.headers.get('access-control-allow-origin')).toBeNull();

    const crossSite: Array<Record<string, string>> = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site', origin: 'http://localhost:5173' }];
    for (const headers of crossSite) {
      const response = await fetch(`${platform.url}/dev/outbox`, { headers });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    const host = new URL(platform.url).host;
    expect((await fetch(`${platform.url}/dev/outbox`, { headers: { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await fetch(`${platform.url}/dev/outbox`)).status).toBe(200);
  });
});
