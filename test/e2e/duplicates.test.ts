import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '#shared/domain/hotline/signature';
import { loginAs } from '../support/auth.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

/**
 * One problem, three reports (app, 12345, patrol) on the local platform: similar finds them, two are
 * merged into the first, "me too" counts once per person, and closing the first texts every reporter
 * and sends the merged hotline ticket its callbacks.
 */
const callbacks: Array<{ id: string; body: any }> = [];
let receiver: Server;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<string, { token: string; id: string }> = {};
const CALLER = '+8613912377777';
const PHONES = { agent: '+8613800000002', supervisor: '+8613800000003', handler: '+8613800000007', citizenA: '+8613900003001', citizenB: '+8613900003002' };
const SPOT = { lat: 26.879, lng: 112.613 };
/** About `metres` north of the spot. */
const north = (metres: number) => ({ lat: SPOT.lat + metres / 111_320, lng: SPOT.lng });

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      callbacks.push({ id: String(req.headers['webhook-id']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  platform = await startTestPlatform({ env: { HOTLINE_CALLBACK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/12345/callbacks` } });
  for (const [who, phone] of Object.entries(PHONES)) {
    const session = await loginAs(platform.url, phone, who.startsWith('citizen') ? 'register' : 'login');
    tokens[who] = { token: session.accessToken, id: session.user.id };
  }
});
afterAll(async () => {
  await platform?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

const call = callAs(() => platform, tokens);

async function report(who: string, description: string, location: { lat: number; lng: number }): Promise<string> {
  const response = await call(who, 'POST', '/v1/cases', { description, location });
  expect(response.status).toBe(201);
  return response.json.case.id;
}

async function hotlineTicket(ticketId: string, location: { lat: number; lng: number }): Promise<string> {
  const body = JSON.stringify({ ticketId, callerPhone: CALLER, description: '路边垃圾堆放很多天没人清理', location, receivedAt: new Date().toISOString() });
  const id = `msg_${ticketId}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await platform.api('/v1/hotline/tickets', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(platform.secrets.HOTLINE_WEBHOOK_SECRET, id, timestamp, body) },
    body,
  });
  expect(response.status).toBe(202);
  return response.json.caseId;
}

const smsTo = async (phone: string) =>
  ((await platform.api('/dev/outbox?limit=100')).json.items as Array<{ channel: string; destination: string; body: string }>).filter((m) => m.channel === 'sms' && m.destination === phone && !m.body.includes('验证码')).map((m) => m.body);

describe('duplicates: one problem, many reports', () => {
  let appCase: string;
  let hotlineCase: string;
  let patrolCase: string;
  let farCase: string;

  it('finds the other reports of the same problem (open, within the radius, same category first, nearest first)', async () => {
    appCase = await report('citizenA', '路边垃圾堆放，气味很大', SPOT);
    hotlineCase = await hotlineTicket('T-DUP-1', north(60));
    patrolCase = await report('supervisor', '巡查发现路边垃圾堆放', north(30));
    farCase = await report('citizenB', '远处另一处垃圾堆放', north(700));
    for (const id of [appCase, hotlineCase]) expect((await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0101' })).status).toBe(200);

    const similar = await call('agent', 'GET', `/v1/cases/${appCase}/similar?radius=100`);
    expect(similar.status).toBe(200);
    // The hotline report shares the category, so it comes first although the patrol report is nearer.
    expect(similar.json.items.map((i: any) => i.case.id)).toEqual([hotlineCase, patrolCase]);
    expect(similar.json.items.map((i: any) => i.distanceMetres)).toEqual([60, 30]);
    expect((await call('agent', 'GET', `/v1/cases/${appCase}/similar?radius=1000`)).status).toBe(400);
    expect((await call('citizenA', 'GET', `/v1/cases/${appCase}/similar`)).status).toBe(403);
  });

  it('merges two reports into the first; the merged ones are terminal and leave the target counting them', async () => {
    const merged = await call('agent', 'POST', `/v1/cases/${hotlineCase}/merge`, { intoCaseId: appCase, note: '同一处垃圾' });
    expect(merged.status).toBe(200);
    expect(merged.json.case).toMatchObject({ status: 'merged', mergedInto: appCase });
    expect((await call('agent', 'POST', `/v1/cases/${patrolCase}/merge`, { intoCaseId: appCase })).json.case.status).toBe('merged');

    expect((await call('agent', 'POST', `/v1/cases/${patrolCase}/merge`, { intoCaseId: appCase })).status).toBe(409); // merged is terminal
    expect((await call('agent', 'POST', `/v1/cases/${farCase}/merge`, { intoCaseId: hotlineCase })).status).toBe(409); // not into a merged case
    expect((await call('agent', 'POST', `/v1/cases/${farCase}/merge`, { intoCaseId: farCase })).status).toBe(400);

    const target = await call('agent', 'GET', `/v1/cases/${appCase}`);
    expect(target.json.case.supporterCount).toBe(2);
    // Merged cases leave the nearness index: similar no longer lists them.
    expect((await call('agent', 'GET', `/v1/cases/${appCase}/similar?radius=500`)).json.items).toEqual([]);
    await platform.settle();
    expect(await smsTo(CALLER)).toContainEqual(expect.stringMatching(/与案件【\d{4}】字第【\d+】号为同一问题，已合并处理/));
  });

  it('shows citizens the open filed cases nearby without people or descriptions, and counts "me too" once per person', async () => {
    const nearby = await call('citizenB', 'GET', `/v1/cases/nearby?lat=${SPOT.lat}&lng=${SPOT.lng + 0.00005}&radius=200`);
    expect(nearby.status).toBe(200);
    expect(nearby.json.items).toHaveLength(1); // the merged ones are gone; the far one is unfiled and far
    const [item] = nearby.json.items;
    expect(item).toEqual({ id: appCase, caseNumber: expect.any(String), categoryName: expect.any(String), status: 'filed', distanceMetres: 5, location: { lat: 26.879, lng: 112.613 }, createdAt: expect.any(String), supporterCount: 2 });

    expect((await call('citizenB', 'POST', `/v1/cases/${appCase}/support`)).json.case.supporterCount).toBe(3);
    const again = await call('citizenB', 'POST', `/v1/cases/${appCase}/support`);
    expect(again.status).toBe(200);
    expect(again.json.case.supporterCount).toBe(3);
    expect((await call('citizenA', 'POST', `/v1/cases/${appCase}/support`)).json.case.supporterCount).toBe(3); // the reporter follows already
    expect((await call('agent', 'POST', `/v1/cases/${appCase}/support`)).status).toBe(403);
  });

  it('closing the case texts all three reporters and the supporter, and sends the merged ticket its callbacks', async () => {
    expect((await call('agent', 'POST', `/v1/cases/${appCase}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: tokens.handler!.id })).status).toBe(200);
    const after = await uploadPhoto(platform, tokens.handler!.token, 'after', await jpegWithGps());
    expect((await call('handler', 'POST', `/v1/cases/${appCase}/complete`, { photoKeys: [after.photoKey] })).status).toBe(200);
    expect((await call('agent', 'POST', `/v1/cases/${appCase}/verify`, { approved: true })).status).toBe(200);
    await platform.settle();

    expect(await smsTo(PHONES.citizenA)).toContainEqual(expect.stringContaining('已处置完毕并结案'));
    for (const phone of [CALLER, PHONES.supervisor, PHONES.citizenB]) expect(await smsTo(phone)).toContainEqual(expect.stringContaining('您关注的问题'));
    // Nobody is texted twice about the closing.
    expect((await smsTo(PHONES.citizenA)).filter((t) => t.includes('结案'))).toHaveLength(1);

    const ticket = callbacks.filter((c) => c.body.data.ticketId === 'T-DUP-1');
    expect(ticket.find((c) => c.body.data.status === 'filed')!.body).toMatchObject({ type: 'case.status_changed', data: { caseId: hotlineCase } });
    expect(ticket.find((c) => c.body.type === 'case.merged')!.body.data).toMatchObject({ caseId: hotlineCase, status: 'merged', mergedInto: appCase });
    const followed = ticket.filter((c) => c.body.data.caseId === appCase).sort((a, b) => a.body.data.seq - b.body.data.seq);
    expect(followed.map((c) => c.body.data.status)).toEqual(['dispatched', 'handled', 'closed']);
    expect(followed.every((c) => c.body.type === 'case.status_changed' && c.id === `msg_${appCase}_${c.body.data.seq}_T-DUP-1`)).toBe(true);
    // A closed case leaves the nearness index.
    expect((await call('citizenB', 'GET', `/v1/cases/nearby?lat=${SPOT.lat}&lng=${SPOT.lng}&radius=200`)).json.items).toEqual([]);
  });
});
