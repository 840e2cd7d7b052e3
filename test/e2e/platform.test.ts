import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox } from '#shared/adapters/outbox';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';
import { startTestPlatform } from '../support/platform.ts';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

describe('the local platform over HTTP', () => {
  it('answers GET /v1/health with 200 {"status":"ok"} and the security headers', async () => {
    const response = await platform.api('/v1/health');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ok' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('server')).toBeNull();
  });

  it('serves a valid OpenAPI 3.1 document that lists the local routes', async () => {
    const response = await platform.api('/v1/openapi.json');
    expect(response.status).toBe(200);
    const result = await new Validator().validate(response.json);
    expect(result.valid).toBe(true);
    expect(Object.keys(response.json.paths)).toEqual(expect.arrayContaining(['/v1/health', '/dev/outbox']));
  });

  it('answers an unknown path with 404 in the contract error shape', async () => {
    const response = await platform.api('/v1/no-such-thing?x=1', { method: 'DELETE', headers: { 'accept-language': 'en' } });
    expect(response.status).toBe(404);
    expect(response.json.error).toMatchObject({ code: 'NOT_FOUND', message: 'No route for DELETE /v1/no-such-thing' });
    const chinese = await platform.api('/v1/no-such-thing?x=1', { method: 'DELETE' });
    expect(chinese.json.error).toMatchObject({ code: 'NOT_FOUND', message: '未找到' });
  });

  it('answers a CORS preflight for a configured origin only', async () => {
    const response = await fetch(`${platform.url}/v1/health`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await fetch(`${platform.url}/v1/health`, { method: 'OPTIONS', headers: { origin: 'https://console.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over the gateway limit with 413 before reading it all', async () => {
    const response = await platform.api('/v1/health', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(11 * 1024 * 1024) }, body: 'x'.repeat(11 * 1024 * 1024) }).catch(() => undefined);
    // Either the 413 arrives, or the socket is closed early; the server must not accept the body.
    if (response) expect(response.status).toBe(413);
  });

  it('lists what the outbox "sent", newest first, validating the query', async () => {
    const db = { client: createDocumentClient({ region: 'us-east-1', endpoint: platform.dynamoEndpoint }), name: platform.tableName };
    await createOutbox(db).record({ channel: 'sms', destination: '+8613800000009', body: '【CityGrid】验证码 123456' });
    const listed = await platform.api('/dev/outbox?limit=5');
    expect(listed.status).toBe(200);
    expect(listed.json.items[0]).toMatchObject({ channel: 'sms', body: '【CityGrid】验证码 123456' });
    const invalid = await platform.api('/dev/outbox?limit=0');
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.details[0].path).toBe('query.limit');
  });
});
