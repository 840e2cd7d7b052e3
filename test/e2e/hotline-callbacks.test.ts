import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DELIVERY_ATTEMPTS } from '#shared/domain/hotline/callbacks';
import { sign, verify } from '#shared/domain/hotline/signature';
import { loginAs } from '../support/auth.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

/**
 * Outbound hotline callbacks on the local platform: case-events (outbox) → the local subscription with
 * the SNS filter policy → the delivery function → a receiver in this test, which plays the 12345 system.
 */
const received: Array<{ headers: IncomingHttpHeaders; body: string; answered: number }> = [];
let answer = 204;
let receiver: Server;
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<string, { token: string; id: string }> = {};
const CALLER = '+8613912366666';

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: answer });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  platform = await startTestPlatform({
    env: { HOTLINE_CALLBACK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/12345/callbacks` },
    callbackRetryDelayMs: () => 30,
  });
  for (const [who, phone] of Object.entries({ agent: '+8613800000002', handler: '+8613800000007' })) {
    const session = await loginAs(platform.url, phone);
    tokens[who] = { token: session.accessToken, id: session.user.id };
  }
});
afterAll(async () => {
  await platform?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

const call = callAs(() => platform, tokens);

/** A ticket from the hotline, signed with its secret. */
async function ticket(ticketId: string): Promise<string> {
  const body = JSON.stringify({ ticketId, callerPhone: CALLER, description: '小区门口井盖缺失，有安全隐患', location: { lat: 26.879, lng: 112.613 }, receivedAt: new Date().toISOString() });
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

const callbacksFor = (caseId: string) => received.filter((r) => JSON.parse(r.body).data.caseId === caseId);

describe('signed status callbacks to the 12345 hotline', () => {
  it('sends filed … closed, each signed with our secret and a stable id; the caller gets SMS', async () => {
    const caseId = await ticket('T-2001');
    expect((await call('agent', 'POST', `/v1/cases/${caseId}/file`, { categoryCode: 'C0101' })).status).toBe(200);
    expect((await call('agent', 'POST', `/v1/cases/${caseId}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: tokens.handler!.id })).status).toBe(200);
    const after = await uploadPhoto(platform, tokens.handler!.token, 'after', await jpegWithGps());
    expect((await call('handler', 'POST', `/v1/cases/${caseId}/complete`, { photoKeys: [after.photoKey] })).status).toBe(200);
    expect((await call('agent', 'POST', `/v1/cases/${caseId}/verify`, { approved: true })).status).toBe(200);
    await platform.settle();

    const callbacks = callbacksFor(caseId);
    // Status changes only (the report itself came from the hotline): filed, dispatched, handled, closed.
    expect(callbacks.map((c) => JSON.parse(c.body).data.status).sort()).toEqual(['closed', 'dispatched', 'filed', 'handled']);
    for (const callback of callbacks) {
      const headers = callback.headers as Record<string, string>;
      // The receiver verifies exactly as docs/hotline-integration.md tells the hotline's engineers to.
      expect(() => verify([platform.secrets.HOTLINE_CALLBACK_SECRET], headers, callback.body, new Date())).not.toThrow();
      expect(() => verify([platform.secrets.HOTLINE_WEBHOOK_SECRET], headers, callback.body, new Date())).toThrow();
      const payload = JSON.parse(callback.body);
      expect(headers['webhook-id']).toMatch(new RegExp(`^msg_${caseId}_\\d+$`));
      expect(payload).toMatchObject({ type: 'case.status_changed', data: { ticketId: 'T-2001', caseId, caseNumber: expect.stringMatching(/^\d{4}-\d{6}$/) } });
    }
    expect(new Set(callbacks.map((c) => c.headers['webhook-id'])).size).toBe(callbacks.length);
    const filed = callbacks.find((c) => JSON.parse(c.body).data.status === 'filed')!;
    expect(filed.headers['webhook-id']).toBe(`msg_${caseId}_2`);
    expect(JSON.stringify(callbacks.map((c) => c.body))).not.toContain(CALLER.slice(3));

    const sms = ((await platform.api('/dev/outbox?limit=100')).json.items as Array<{ channel: string; destination: string; body: string }>).filter((m) => m.destination === CALLER);
    expect(sms.map((m) => m.body)).toEqual([expect.stringContaining('已处置完毕并结案'), expect.stringContaining('已受理立案')]);
  });

  it('retries a callback while the hotline is down, then keeps it as a dead letter; later changes still arrive', async () => {
    answer = 503;
    const caseId = await ticket('T-2002');
    expect((await call('agent', 'POST', `/v1/cases/${caseId}/file`, { categoryCode: 'C0101' })).status).toBe(200);
    await platform.settle();
    const attempts = callbacksFor(caseId);
    expect(attempts).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect(new Set(attempts.map((a) => a.headers['webhook-id']))).toEqual(new Set([`msg_${caseId}_2`])); // the same event each time
    const deadLetters = ((await platform.api('/dev/outbox?limit=100')).json.items as Array<{ channel: string; destination: string; body: string }>).filter(
      (m) => m.channel === 'dead-letter' && JSON.parse(m.body).caseId === caseId,
    );
    expect(deadLetters).toHaveLength(1);
    expect(JSON.parse(deadLetters[0]!.body)).toMatchObject({ caseId, action: 'file', toStatus: 'filed', hotlineTicketId: 'T-2002' });

    answer = 200;
    expect((await call('agent', 'POST', `/v1/cases/${caseId}/dispatch`, { departmentId: 'yanfeng-street-brigade' })).status).toBe(200);
    await platform.settle();
    const delivered = callbacksFor(caseId).filter((c) => c.answered === 200);
    expect(delivered.map((c) => JSON.parse(c.body).data.status)).toEqual(['dispatched']);
  });
});
