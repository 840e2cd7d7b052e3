import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeList } from '#shared/contract/index';
import { sign } from '#shared/domain/hotline/signature';
import { buildOpenApi } from '#shared/http/openapi';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

/**
 * Property-based fuzzing over the OpenAPI document: for every operation, generated malformed bodies,
 * queries and path ids (wrong types, null, arrays, huge and tiny numbers, NUL bytes, emoji, very long
 * strings) are answered with a 4xx in the contract's error shape — never a 5xx. Operations come from the
 * document built from `routeList()`, so a route added later is fuzzed without touching this file.
 * Each request is sent as a caller holding one of the route's roles (else it would stop at 401) and,
 * for the signed hotline route, with a valid signature (else it would stop at 401 before validation).
 */
const RUNS_PER_ROUTE = 20;

type Schema = Record<string, unknown>;
const document = buildOpenApi(routeList(), { deployed: false });
const components = document.components.schemas as Record<string, Schema>;
const resolve = (schema: Schema | undefined): Schema | undefined => {
  const ref = schema?.$ref as string | undefined;
  return ref ? resolve(components[ref.split('/').pop()!]) : schema;
};

interface Operation {
  method: string;
  path: string;
  roles?: string[];
  signed: boolean;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[] | undefined;
  bodySchema: Schema | undefined;
}

const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods as Record<string, Record<string, unknown>>).map(([method, op]) => {
    const parameters = (op.parameters ?? []) as Array<{ name: string; in: string }>;
    const body = resolve((op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content?.['application/json']?.schema);
    return {
      method: method.toUpperCase(),
      path,
      ...(op['x-roles'] ? { roles: op['x-roles'] as string[] } : {}),
      signed: Boolean(op['x-signed']),
      pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
      queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
      bodyFields: body ? Object.keys((body.properties ?? {}) as Schema) : undefined,
      bodySchema: body,
    };
  }),
);

// ---- Generators ----------------------------------------------------------------------------------

const nasty = fc.constantFrom('\u0000', 'a\u0000b', '😀', '😀'.repeat(300), '井盖', '', ' ', '%00', '../..', '<script>', "' OR 1=1 --", '{}', '[]', 'null', '1e-320', '0x1A', 'NaN', '-0', '\uD800');
const longString = fc.constantFrom('x'.repeat(3000), '井'.repeat(5000), 'a'.repeat(70_000));
const weirdNumber = fc.constantFrom(1e-320, -5e-324, 1e308, -1e308, 0, -0, 2 ** 53 + 1, 0.1, -1, 3.5, 1e21);
/** Any JSON value, biased to what breaks parsers and stores. */
const malformedValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    weirdNumber,
    fc.string(),
    nasty,
    longString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), nasty), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A string for a query or path value: decimal-looking junk, encodings, NUL, emoji, long. */
const malformedText = fc.oneof(fc.string(), nasty, fc.constantFrom('%20', ' 12', '0x10', '1e3', 'Infinity', '-', '26.879.1', '99999999999999999999', 'x'.repeat(2000)), fc.uuid().map(String));

/**
 * A value that follows the document's schema closely enough to pass most checks, with malformed values
 * mixed in at every level: it reaches the deeper rules (nested locations, arrays of keys, ranges).
 */
function nearValid(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (!s || depth > 4) return malformedValue;
  const variants = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  let arbitrary: fc.Arbitrary<unknown>;
  if (variants?.length) arbitrary = fc.oneof(...variants.map((v) => nearValid(v, depth + 1)));
  else if (s.enum) arbitrary = fc.constantFrom(...(s.enum as unknown[]));
  else if (s.const !== undefined) arbitrary = fc.constant(s.const);
  else if (s.type === 'object' && s.properties) {
    const properties = s.properties as Record<string, Schema>;
    arbitrary = fc.record(Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, nearValid(p, depth + 1)])), { requiredKeys: [] });
  } else if (s.type === 'array') {
    // Repeats on purpose: the same element twice is a case of its own (BatchGet refuses duplicate keys).
    arbitrary = nearValid(s.items as Schema, depth + 1).chain((item) => fc.array(fc.oneof(fc.constant(item), nearValid(s.items as Schema, depth + 1)), { maxLength: 12 }));
  } else if (s.type === 'number' || s.type === 'integer') {
    const min = typeof s.minimum === 'number' ? s.minimum : -1e6;
    const max = typeof s.maximum === 'number' ? s.maximum : 1e6;
    arbitrary = fc.oneof(weirdNumber, fc.double({ min, max, noNaN: true }), fc.integer({ min: Math.ceil(Math.max(min, -1e9)), max: Math.floor(Math.min(max, 1e9)) }));
  } else if (s.type === 'boolean') arbitrary = fc.boolean();
  else if (s.type === 'string') arbitrary = fc.oneof(fc.string(), nasty, longString, fc.uuid().map(String), fc.constantFrom('2026-01-01T00:00:00Z', '1900-01-01T00:00:00Z', '+8613912345678', 'E0503', 'uploads/before/0b8f5c1e-3f6a-4d2b-9c1d-2a7e5f9b8c3d.jpg'));
  else arbitrary = malformedValue;
  return fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: malformedValue });
}

/** A body for an operation: the wrong type altogether, raw non-JSON text, its own fields with malformed values, or a near-valid one. */
const bodyFor = (op: Operation) =>
  fc.oneof(
    nearValid(op.bodySchema).map((value) => ({ text: JSON.stringify(value) ?? 'null', contentType: 'application/json' })),
    malformedValue.map((value) => ({ text: JSON.stringify(value) ?? 'null', contentType: 'application/json' })),
    fc.oneof(fc.string(), nasty).map((text) => ({ text, contentType: 'application/json' })),
    fc.constantFrom({ text: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' }, { text: '{"a":', contentType: 'application/json' }),
    fc
      .array(fc.tuple(fc.constantFrom(...(op.bodyFields?.length ? op.bodyFields : ['x'])), malformedValue), { minLength: 1, maxLength: 5 })
      .map((fields) => ({ text: JSON.stringify(Object.fromEntries(fields)), contentType: 'application/json' })),
  );

/** A path segment: text the client percent-encodes, or raw bytes as a client could send them (bad escapes). */
const pathSegment = fc.oneof(
  malformedText.map((text) => ({ text, raw: false })),
  fc.constantFrom('%ZZ', '%E0%A4%A', '%00', '..', '%2F..%2F', '%F0%9F%98%80').map((text) => ({ text, raw: true })),
);

const requestFor = (op: Operation) =>
  fc.record({
    params: fc.tuple(...op.pathParams.map(() => pathSegment)),
    query: fc.array(fc.tuple(fc.constantFrom(...(op.queryParams.length ? op.queryParams : ['limit']), 'cursor', 'unexpected'), malformedText), { maxLength: 4 }),
    body: op.bodyFields !== undefined || op.method !== 'GET' ? fc.option(bodyFor(op), { nil: undefined, freq: 5 }) : fc.constant(undefined),
  });

// ---- The platform and one caller per role ----------------------------------------------------------

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens = new Map<string, string>();
beforeAll(async () => {
  platform = await startTestPlatform();
  const staff: Array<[string, string]> = [
    ['admin', '+8613800000001'],
    ['agent', '+8613800000002'],
    ['supervisor', '+8613800000003'],
    ['dispatcher', '+8613800000005'],
    ['handler', '+8613800000007'],
    ['leader', '+8613800000008'],
  ];
  for (const [role, phone] of staff) tokens.set(role, (await loginAs(platform.url, phone)).accessToken);
  tokens.set('citizen', (await loginAs(platform.url, '13912300001', 'register')).accessToken);
}, 120_000);
afterAll(async () => platform?.stop());

/** A lone surrogate cannot be percent-encoded; a client's UTF-8 encoder turns it into U+FFFD. */
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

/** Fills `/v1/cases/{id}` with the generated values, percent-encoded as a client would (raw ones as they are). */
const pathOf = (op: Operation, params: Array<{ text: string; raw: boolean }>) =>
  op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const param = params[op.pathParams.indexOf(name)];
    if (!param?.text) return 'x';
    return param.raw ? param.text : encodeURIComponent(wellFormed(param.text));
  });

async function send(op: Operation, request: { params: Array<{ text: string; raw: boolean }>; query: Array<[string, string]>; body: { text: string; contentType: string } | undefined }) {
  const query = new URLSearchParams(request.query).toString();
  const url = `${platform.url}${pathOf(op, request.params)}${query ? `?${query}` : ''}`;
  const headers: Record<string, string> = {};
  const role = op.roles?.find((r) => tokens.has(r));
  if (role) headers.authorization = `Bearer ${tokens.get(role)}`;
  if (request.body) headers['content-type'] = request.body.contentType;
  if (op.signed && request.body) {
    const id = `msg_${randomUUID()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    Object.assign(headers, { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(platform.secrets.HOTLINE_WEBHOOK_SECRET, id, timestamp, request.body.text) });
  }
  const response = await fetch(url, { method: op.method, headers, ...(request.body && op.method !== 'GET' ? { body: request.body.text } : {}) });
  const text = await response.text();
  return { status: response.status, text, url, headers: response.headers };
}

/** The contract's error body (Open311 routes answer in their own spec's error list instead). */
function assertErrorShape(op: Pick<Operation, 'path'>, response: { status: number; text: string }) {
  if (op.path.startsWith('/open311/')) {
    // The standard's error list, in XML or JSON by the path's suffix. Refusals of the local gateway itself
    // (e.g. a malformed percent-encoding, before any function runs) keep the contract's shape.
    if (response.text.startsWith('<?xml')) {
      expect(response.text).toMatch(/<errors>\s*<error>\s*<code>\d{3}<\/code>\s*<description>/);
      return;
    }
    const list = JSON.parse(response.text) as unknown;
    if (Array.isArray(list)) {
      expect(list).toEqual(expect.arrayContaining([expect.objectContaining({ code: expect.anything(), description: expect.any(String) })]));
      return;
    }
  }
  const json = JSON.parse(response.text) as unknown;
  expect(json).toMatchObject({ error: { code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) } });
}

describe('fuzzing every route of the OpenAPI document', () => {
  it('covers every route of the route table', () => {
    // An `ANY` route (Open311's proxy) is documented as its GET and its POST.
    const expected = routeList().filter((r) => r.path !== '$default').reduce((n, r) => n + (r.method === 'ANY' ? 2 : 1), 0);
    expect(operations).toHaveLength(expected);
  });

  for (const op of operations) {
    it(`${op.method} ${op.path}: malformed input is a 4xx in the error shape, never a 5xx`, { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (request) => {
          const response = await send(op, request);
          if (response.status >= 500) throw new Error(`${response.status} for ${op.method} ${response.url} body ${request.body?.text.slice(0, 300)}: ${response.text.slice(0, 500)}`);
          if (response.status >= 400) assertErrorShape(op, response);
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    });
  }

  it('answers unknown paths (the $default route) with 404 in the error shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(malformedText, { minLength: 1, maxLength: 4 }), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), async (segments, method) => {
        const path = `/zz/${segments.map((s) => encodeURIComponent(wellFormed(s)) || 'x').join('/')}`;
        const response = await fetch(`${platform.url}${path}`, { method });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        assertErrorShape({ path }, { status: response.status, text: await response.text() });
      }),
      { numRuns: RUNS_PER_ROUTE },
    );
  });
});
