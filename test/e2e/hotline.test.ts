import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '#shared/domain/hotline/signature';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let agent: string;
beforeAll(async () => {
  platform = await startTestPlatform();
  agent = (await loginAs(platform.url, '+8613800000002')).accessToken;
});
afterAll(async () => platform?.stop());

const ticket = (ticketId: string) => ({
  ticketId,
  callerPhone: '13912377777',
  description: '楼顶灯光招牌太亮，开到晚上11点，影响休息',
  address: '雁峰区雁峰街道当家村社区',
  location: { lat: 26.879, lng: 112.613 },
  receivedAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
});

/** Delivers like the hotline: Standard Webhooks headers over the exact body bytes. */
const deliver = (body: string, options: { id?: string; timestamp?: number; secret?: string; signature?: string } = {}) => {
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? sign(options.secret ?? platform.secrets.HOTLINE_WEBHOOK_SECRET, id, timestamp, body);
  return platform.api('/v1/hotline/tickets', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature },
    body,
  });
};
const hotlineCases = async () => (await platform.api('/v1/cases?status=reported&limit=100', { headers: { authorization: `Bearer ${agent}` } })).json.items.filter((c: { channel: string }) => c.channel === 'hotline');

describe('the 12345 hotline webhook', () => {
  it('turns a signed ticket into a reported hotline case, with the caller phone masked', async () => {
    const response = await deliver(JSON.stringify(ticket('T-1001')));
    expect(response.status).toBe(202);
    const detail = await platform.api(`/v1/cases/${response.json.caseId}`, { headers: { authorization: `Bearer ${agent}` } });
    expect(detail.json.case).toMatchObject({ status: 'reported', channel: 'hotline', hotlineTicketId: 'T-1001', callerPhone: '+86 139****7777', gridId: 'yanfeng-dangjiacun' });
    expect(JSON.stringify(detail.json)).not.toContain('13912377777');
    expect(detail.json.timeline[0]).toMatchObject({ action: 'report', actor: { role: 'system', displayName: '12345政务服务热线' } });
  });

  it('answers a replayed delivery and a repeated ticket with the first caseId, creating nothing', async () => {
    const body = JSON.stringify(ticket('T-1002'));
    const first = await deliver(body, { id: 'msg_replay' });
    const before = (await hotlineCases()).length;
    const replay = await deliver(body, { id: 'msg_replay' });
    const repeat = await deliver(body);
    expect(replay).toMatchObject({ status: 200, json: { caseId: first.json.caseId } });
    expect(repeat).toMatchObject({ status: 200, json: { caseId: first.json.caseId } });
    expect((await hotlineCases()).length).toBe(before);
  });

  it('refuses bad, missing, stale and future signatures and altered bodies with 401, writing nothing', async () => {
    const before = (await hotlineCases()).length;
    const body = JSON.stringify(ticket('T-1003'));
    const now = Math.floor(Date.now() / 1000);
    const refused = [
      await deliver(body, { signature: 'v1,' + Buffer.alloc(32).toString('base64') }),
      await platform.api('/v1/hotline/tickets', { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
      await deliver(body, { timestamp: now - 360 }),
      await deliver(body, { timestamp: now + 360 }),
      await deliver(body, { secret: 'whsec_' + Buffer.from('someone else entirely!!').toString('base64') }),
    ];
    const altered = (() => {
      const id = 'msg_altered';
      const signature = sign(platform.secrets.HOTLINE_WEBHOOK_SECRET, id, now, body);
      return platform.api('/v1/hotline/tickets', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': signature },
        body: body.replace('T-1003', 'T-6666'),
      });
    })();
    refused.push(await altered);
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
    for (const r of refused) expect(r.json.error.code).toBe('UNAUTHENTICATED');
    expect((await hotlineCases()).length).toBe(before);
  });

  it('validates a signed body with field details', async () => {
    const response = await deliver(JSON.stringify({ ...ticket('T-1004'), callerPhone: 'nobody' }));
    expect(response.status).toBe(400);
    expect(response.json.error.details[0].path).toBe('callerPhone');
  });
});
