import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '#shared/domain/hotline/signature';

/** The delivery function with a receiver on loopback (no AWS: MESSAGE_TRANSPORT=outbox makes the backoff a no-op). */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let answer = 204;
const received: Array<{ headers: Record<string, string>; body: string }> = [];
let server: Server;
let handler: (e: SQSEvent) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    TABLE_NAME: 'unused-here',
    MESSAGE_TRANSPORT: 'outbox',
    HOTLINE_CALLBACK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`,
    HOTLINE_CALLBACK_SECRET: SECRET,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  ({ handler } = await import('#functions/hotline/deliver-callbacks'));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const message = { id: 'c1.2', type: 'case.event', caseId: 'c1', caseNumber: '2026-000001', channel: 'hotline', hotlineTicketId: 'T-1', seq: 2, action: 'file', fromStatus: 'reported', toStatus: 'filed', statusChange: true, at: '2026-05-10T01:00:00.000Z', actor: { role: 'agent', displayName: '坐席员' } };
const sqsEvent = (...bodies: string[]) =>
  ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, receiptHandle: `r${i}`, body, attributes: { ApproximateReceiveCount: '1' }, eventSourceARN: 'arn:aws:sqs:us-east-1:0:q' })) }) as unknown as SQSEvent;

describe('the hotline callback delivery function', () => {
  it('POSTs a signed callback and reports success', async () => {
    answer = 204;
    expect(await handler(sqsEvent(JSON.stringify(message)))).toEqual({ batchItemFailures: [] });
    const last = received.at(-1)!;
    expect(verify([SECRET], last.headers, last.body, new Date())).toMatchObject({ id: 'msg_c1_2' });
  });

  it('reports exactly the failed records: a refused POST and a malformed message (to the DLQ), not the delivered one', async () => {
    answer = 503;
    const result = await handler(sqsEvent('{not json', JSON.stringify({ ...message, toStatus: 'nonsense' }), JSON.stringify(message)));
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m0', 'm1', 'm2']);
    answer = 200;
    const mixed = await handler(sqsEvent('{not json', JSON.stringify(message)));
    expect(mixed.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
  });
});
