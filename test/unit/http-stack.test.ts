import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type { RouteSpec } from '#shared/contract/route-spec';
import {
  ConflictError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  PhotoPendingError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '#shared/domain/errors';
import { httpHandler } from '#shared/http/handler';
import { logger } from '#shared/observability/logger';
import { httpEvent, lambdaContext } from '../support/events.ts';

const route = {
  method: 'POST',
  path: '/v1/things/{id}',
  handler: 'test',
  access: 'public',
  summary: 'test route',
  tag: 'Test',
  maxBodyBytes: 200,
  request: {
    body: z.object({ name: z.string().min(1), location: z.object({ lat: z.number().min(-90).max(90) }) }).strict(),
    query: z.object({ limit: z.coerce.number().int().max(100).default(20) }).strict(),
    params: z.object({ id: z.string().regex(/^t-\d+$/) }),
  },
  responses: {},
} satisfies RouteSpec;

const echo = httpHandler(route, async (request) => ({ status: 201, body: { ...request.body, id: request.params.id, limit: request.query.limit } }));
const call = async (handler: typeof echo, event: Parameters<typeof echo>[0]) => {
  const response = await handler(event, lambdaContext());
  return { ...response, json: response.body ? JSON.parse(response.body) : undefined };
};
const validBody = JSON.stringify({ name: 'lamp', location: { lat: 26.879 } });
const post = (body: string | undefined, extra: Partial<Parameters<typeof echo>[0]> = {}) =>
  httpEvent({ method: 'POST', path: '/v1/things/t-1', pathParameters: { id: 't-1' }, ...(body === undefined ? {} : { body }), ...extra });

describe('the middy HTTP stack', () => {
  it('hands validated, typed input to the route function and serialises its result', async () => {
    const response = await call(echo, post(validBody, { queryStringParameters: { limit: '5' } }));
    expect(response.statusCode).toBe(201);
    expect(response.json).toEqual({ name: 'lamp', location: { lat: 26.879 }, id: 't-1', limit: 5 });
    expect(response.headers?.['x-request-id']).toBe('req-test-1');
  });

  it('answers 400 VALIDATION_FAILED for a malformed JSON body', async () => {
    const response = await call(echo, post('{"name": '));
    expect(response.statusCode).toBe(400);
    expect(response.json.error.code).toBe('VALIDATION_FAILED');
    expect(response.json.error.details).toEqual([{ path: 'body', message: 'Malformed JSON' }]);
  });

  it('names each invalid field in details, with dotted paths', async () => {
    const response = await call(echo, post(JSON.stringify({ name: '', location: { lat: 200 }, role: 'admin' })));
    expect(response.statusCode).toBe(400);
    const paths = response.json.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['body', 'location.lat', 'name']); // the unknown key `role` is reported at the body level
  });

  it('validates query and path parameters with prefixed paths', async () => {
    const response = await call(echo, post(validBody, { pathParameters: { id: 'x' }, queryStringParameters: { limit: '500' } }));
    expect(response.statusCode).toBe(400);
    const paths = response.json.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['path.id', 'query.limit']);
  });

  it('reports a missing body as a validation failure, not a crash', async () => {
    const response = await call(echo, post(undefined));
    expect(response.statusCode).toBe(400);
    expect(response.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers 413 PAYLOAD_TOO_LARGE above the route limit, before parsing', async () => {
    const response = await call(echo, post(JSON.stringify({ name: 'x'.repeat(300), location: { lat: 1 } })));
    expect(response.statusCode).toBe(413);
    expect(response.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('counts base64 bodies by their decoded size and parses them', async () => {
    const response = await call(echo, post(Buffer.from(validBody).toString('base64'), { isBase64Encoded: true }));
    expect(response.statusCode).toBe(201);
  });

  it('answers 415 when a JSON route gets another content type', async () => {
    const response = await call(echo, post(validBody, { headers: { 'content-type': 'text/plain' } }));
    expect(response.statusCode).toBe(415);
    expect(response.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('turns an unknown error into a generic 500 with the request id and no internals', async () => {
    const failing = httpHandler(route, async () => {
      throw new Error('connection string postgres://secret@db');
    });
    const response = await call(failing, post(validBody));
    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({ error: { code: 'INTERNAL', message: '服务器内部错误', requestId: 'req-test-1' } });
    expect(response.body).not.toContain('secret');
  });

  it('logs a 500 with the error\'s name, message and stack, masking a request URL\'s query and numbers, never its cause', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    try {
      const failing = httpHandler(route, async () => {
        throw Object.assign(new Error('socket hang up at https://sms.example/?PhoneNumbers=13800000007&code=654321'), { cause: { phone: '+8613800000007' } });
      });
      expect((await call(failing, post(validBody))).statusCode).toBe(500);
      expect(logged).toHaveBeenCalledTimes(1);
      const [message, details] = logged.mock.calls[0] as unknown as [string, { requestId: string; error: { name: string; message: string; stack: string } }];
      expect(message).toBe('Unhandled error');
      expect(details.requestId).toBe('req-test-1');
      expect(details.error).toMatchObject({ name: 'Error', message: 'socket hang up at https://sms.example/?…', stack: expect.stringContaining('http-stack.test.ts') });
      expect(JSON.stringify(details)).not.toMatch(/13800000007|654321/);
    } finally {
      logged.mockRestore();
    }
  });

  it('puts CORS and security headers on error responses too', async () => {
    const response = await call(echo, post('{', { headers: { 'content-type': 'application/json', origin: 'https://console.example' } }));
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['access-control-allow-origin']).toBeDefined();
    expect(response.headers?.['x-content-type-options']).toBe('nosniff');
    expect(response.headers?.['content-type']).toMatch(/^application\/json/);
  });

  it.each([
    [new ValidationError('bad', [{ path: 'a', message: 'b' }]), 400, 'VALIDATION_FAILED'],
    [new UnauthenticatedError(), 401, 'UNAUTHENTICATED'],
    [new ForbiddenError(), 403, 'FORBIDDEN'],
    [new NotFoundError(), 404, 'NOT_FOUND'],
    [new ConflictError('stale version'), 409, 'CONFLICT'],
    [new ConflictError('taken', 'PHONE_TAKEN'), 409, 'PHONE_TAKEN'],
    [new InvalidTransitionError('closed cases cannot be dispatched'), 409, 'INVALID_TRANSITION'],
    [new RateLimitedError('slow down', 42.2), 429, 'RATE_LIMITED'],
    [new PhotoPendingError('still being checked', 42.2), 409, 'PHOTO_PENDING'],
  ])('maps %s to %i %s', async (error, status, code) => {
    const failing = httpHandler(route, async () => {
      throw error;
    });
    // English: an error without a message id says its own message.
    const response = await call(failing, post(validBody, { headers: { 'content-type': 'application/json', 'accept-language': 'en-US,en;q=0.9' } }));
    expect(response.statusCode).toBe(status);
    expect(response.json.error.code).toBe(code);
    expect(response.json.error.message).toBe(error.message);
    // Chinese by default, the same code: the general text of the code.
    const chinese = await call(failing, post(validBody));
    expect(chinese.json.error.code).toBe(code);
    expect(chinese.json.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(chinese.headers?.['content-language']).toBe('zh-CN');
    if (status === 429 || code === 'PHOTO_PENDING') expect(response.headers?.['retry-after']).toBe('43');
    else expect(response.headers?.['retry-after']).toBeUndefined();
  });

  it('serves local-only routes only on the local platform', async () => {
    // The HTTP configuration is read once per container, so each setting gets a fresh module graph.
    const localRouteWith = async (flag: string | undefined) => {
      vi.resetModules();
      if (flag === undefined) delete process.env.CITYGRID_LOCAL;
      else process.env.CITYGRID_LOCAL = flag;
      const fresh = await import('#shared/http/handler');
      return fresh.httpHandler({ ...route, access: 'local' }, async () => ({ status: 200, body: {} }));
    };
    const saved = process.env.CITYGRID_LOCAL;
    try {
      expect((await call(await localRouteWith(undefined), post(validBody))).statusCode).toBe(404);
      expect((await call(await localRouteWith('1'), post(validBody))).statusCode).toBe(200);
    } finally {
      if (saved === undefined) delete process.env.CITYGRID_LOCAL;
      else process.env.CITYGRID_LOCAL = saved;
    }
  });
});

describe('error messages in the caller\'s language', () => {
  const failing = (error: Error) =>
    httpHandler(route, async () => {
      throw error;
    });
  const withLanguage = (language: string | undefined, body = validBody) =>
    post(body, { headers: { 'content-type': 'application/json', ...(language ? { 'accept-language': language } : {}) } });

  it('answers in Chinese by default and in English on request, from the message id, with the same code', async () => {
    const error = new UnauthenticatedError('The verification code is wrong or has expired', { id: 'auth.code-wrong' });
    const zh = await call(failing(error), withLanguage(undefined));
    const en = await call(failing(error), withLanguage('en'));
    expect(zh.json.error).toMatchObject({ code: 'UNAUTHENTICATED', message: '验证码错误或已过期' });
    expect(en.json.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The verification code is wrong or has expired' });
    expect(en.headers?.['content-language']).toBe('en');
  });

  it('fills the message parameters', async () => {
    const error = new RateLimitedError('Please wait', 37, { id: 'auth.sms-cooldown', params: { seconds: 37 } });
    const zh = await call(failing(error), withLanguage('zh-CN'));
    expect(zh.json.error.message).toBe('验证码发送过于频繁，请 37 秒后再试');
    expect(zh.headers?.['retry-after']).toBe('37');
  });

  it('honours q-values and falls back to Chinese for languages it does not have', async () => {
    const error = new NotFoundError('No such case', { id: 'case.not-found' });
    expect((await call(failing(error), withLanguage('fr-FR, en;q=0.5, zh;q=0.8'))).json.error.message).toBe('案件不存在');
    expect((await call(failing(error), withLanguage('zh;q=0.2, en-GB;q=0.9'))).json.error.message).toBe('No such case');
    expect((await call(failing(error), withLanguage('fr'))).json.error.message).toBe('案件不存在');
  });

  it('gives zod\'s field messages in Chinese by default and in English on request', async () => {
    const body = JSON.stringify({ name: '', location: { lat: 91 } });
    const zh = await call(echo, withLanguage(undefined, body));
    expect(zh.json.error.message).toBe('请求参数不正确');
    expect(zh.json.error.details).toEqual([
      { path: 'name', message: expect.stringMatching(/[\u4e00-\u9fff]/) },
      { path: 'location.lat', message: expect.stringContaining('90') },
    ]);
    expect(zh.json.error.details[1].message).toMatch(/[\u4e00-\u9fff]/);
    const en = await call(echo, withLanguage('en', body));
    expect(en.json.error.message).toBe('The request is not valid');
    expect(en.json.error.details[1].message).toBe('Too big: expected number to be <=90');
  });
});
