import { marshall } from '@aws-sdk/util-dynamodb';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { compile, toEvent } from '#infra/local/gateway';
import { routeList } from '#shared/contract/index';
import { matchOpen311, open311 } from '#shared/contract/open311';
import type { RouteSpec } from '#shared/contract/route-spec';
import { CASE_STATUSES } from '#shared/domain/cases/model';
import { ForbiddenError, ValidationError } from '#shared/domain/errors';
import { keyParts, newApiKey, recordForKey } from '#shared/domain/open311/api-keys';
import { OPEN311_STATUS, requestView, round4, STATUS_NOTES, w3cDateTime } from '#shared/domain/open311/georeport';
import { listWindow } from '#shared/domain/open311/use-cases';
import { parseForm } from '#shared/http/form-body';
import { renderOpen311, renderOpen311Error } from '#shared/http/open311-response';
import { publicHttpHandler } from '#shared/http/public-handler';
import { RequestListQuery, ServiceRequestForm } from '#shared/schemas/open311';
import { httpEvent, lambdaContext } from '../support/events.ts';

describe('form bodies', () => {
  it('decodes + and %XX as UTF-8, and gathers repeated and [] fields into lists', () => {
    expect(parseForm('description=a+large+%E5%9D%91&api_key=k&attribute%5BA%5D%5B%5D=1&attribute[A][]=2&x=1&x=2')).toEqual({
      description: 'a large 坑',
      api_key: 'k',
      'attribute[A]': ['1', '2'],
      x: ['1', '2'],
    });
  });

  it('never writes through __proto__: a field of that name is refused, the fields have no prototype', () => {
    expect(() => parseForm('__proto__=x&a=1')).toThrow(ValidationError);
    expect(() => parseForm('a=1&__proto__[]=x')).toThrow(ValidationError);
    expect(Object.getPrototypeOf(parseForm('a=1'))).toBe(null);
  });

  it('builds the local gateway\'s query from the names as given (constructor, toString, __proto__ are plain names)', () => {
    const url = new URL('http://127.0.0.1/open311/v2/services.json?constructor=x&toString=1&toString=2&__proto__=p&a=1');
    const req = { headers: {}, method: 'GET', httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1' } } as never;
    const event = toEvent(req, url, Buffer.alloc(0), { method: 'GET', path: '/open311/v2/{proxy+}' } as never, { proxy: 'services.json' }, 'r1');
    expect(Object.getOwnPropertyDescriptor(event.queryStringParameters, 'constructor')?.value).toBe('x');
    expect(Object.getOwnPropertyDescriptor(event.queryStringParameters, 'toString')?.value).toBe('1,2');
    expect(Object.getOwnPropertyDescriptor(event.queryStringParameters, '__proto__')?.value).toBe('p');
    expect(Object.getPrototypeOf(event.queryStringParameters)).toBe(Object.prototype);
  });

  it('reads names an object already has (constructor, toString, hasOwnProperty) as plain fields', () => {
    const fields = parseForm('constructor=x&toString=1&toString=2&hasOwnProperty[]=y&prototype=p&valueOf=v');
    expect({ ...fields }).toEqual({ constructor: 'x', toString: ['1', '2'], hasOwnProperty: ['y'], prototype: 'p', valueOf: 'v' });
    expect(({} as Record<string, unknown>).constructor).toBe(Object); // nothing leaked into Object.prototype
  });

  it('gathers a repeated field into one list, and refuses a body of more than 500 fields (a 64 kB `a&a&…`)', () => {
    expect(parseForm('x=1&'.repeat(500)).x).toEqual(Array.from({ length: 500 }, () => '1'));
    expect(() => parseForm('a&'.repeat(32_000))).toThrow(ValidationError);
    expect(() => parseForm('a=&'.repeat(501))).toThrow('Too many form fields');
  });
});

describe('the HTTP stack on a form route with the Open311 error format', () => {
  const route = {
    method: 'POST',
    path: '/open311/v2/{proxy+}',
    handler: 'test',
    access: 'public',
    summary: 'test',
    tag: 'Test',
    bodyFormat: 'form',
    errorFormat: 'open311',
    request: { body: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional() },
    responses: {},
  } satisfies RouteSpec;
  const handler = publicHttpHandler(route, async (request) => {
    if (request.body?.deny) throw new ForbiddenError('Invalid api_key');
    return { status: 201, body: { got: request.body } };
  }, { renderError: renderOpen311Error });
  const event = (body: string, contentType: string, proxy = 'requests.xml') =>
    httpEvent({ method: 'POST', path: `/open311/v2/${proxy}`, pathParameters: { proxy }, body, headers: { 'content-type': contentType } });

  it('parses a URL-encoded body into fields', async () => {
    const response = await handler(event('a=1&b=%E4%B8%AD', 'application/x-www-form-urlencoded; charset=utf-8'), lambdaContext());
    expect(JSON.parse(response.body!)).toEqual({ got: { a: '1', b: '中' } });
  });

  it('answers 415 for a JSON body, as an XML <errors> list for a .xml path and a JSON list for .json', async () => {
    const xml = await handler(event('{"a":1}', 'application/json'), lambdaContext());
    expect(xml.statusCode).toBe(415);
    expect(xml.headers?.['content-type']).toBe('text/xml; charset=utf-8');
    expect(new XMLParser().parse(xml.body!)).toEqual({ '?xml': '', errors: { error: { code: 415, description: expect.any(String) } } });
    const json = await handler(event('deny=1', 'application/x-www-form-urlencoded', 'requests.json'), lambdaContext());
    expect(json.statusCode).toBe(403);
    expect(json.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(json.body!)).toEqual([{ code: 403, description: 'Invalid api_key' }]);
  });

  it('refuses to build an Open311-format route without its error writer', () => {
    expect(() => publicHttpHandler(route, async () => ({ status: 200 }))).toThrow(/renderError/);
  });

  it('is recognisable in the route table by its error format', () => {
    expect(routeList().filter((r) => r.errorFormat === 'open311').map((r) => r.path)).toEqual(['/open311/v2/{proxy+}']);
  });
});

describe('greedy paths in the local gateway', () => {
  const compiled = compile({ ...open311, id: 'open311' });
  it('gives the rest of the path to {proxy+}, one segment or several', () => {
    expect(compiled.pattern.exec('/open311/v2/requests/2026-000001.json')?.[1]).toBe('requests/2026-000001.json');
    expect(compiled.pattern.exec('/open311/v2/services.xml')?.[1]).toBe('services.xml');
    expect(compiled.pattern.exec('/open311/v2/')).toBeNull();
    expect(compiled.pattern.exec('/open311/v3/services.xml')).toBeNull();
  });

  it('ranks a greedy route below a route with as many fixed segments', () => {
    const fixed = compile({ ...open311, id: 'open311', path: '/open311/v2/{id}' });
    expect(fixed.staticSegments).toBeGreaterThan(compiled.staticSegments);
  });
});

describe('the Open311 methods', () => {
  it.each([
    ['GET', 'discovery.json', 'discovery', '', 'json'],
    ['GET', 'services.xml', 'services', '', 'xml'],
    ['GET', 'services/E0503.json', 'serviceDefinition', 'E0503', 'json'],
    ['GET', 'requests.json', 'listRequests', '', 'json'],
    ['POST', 'requests.xml', 'createRequest', '', 'xml'],
    ['GET', 'requests/2026-000123.xml', 'getRequest', '2026-000123', 'xml'],
    ['GET', 'tokens/abc.json', 'getToken', 'abc', 'json'],
  ])('%s %s is %s', (method, path, name, id, format) => {
    expect(matchOpen311(method, path)).toEqual({ name, id, format });
  });

  it.each([['GET', 'services'], ['GET', 'services.html'], ['POST', 'services.json'], ['DELETE', 'requests.json'], ['GET', 'requests/a/b.json']])('%s %s is none', (method, path) => {
    expect(matchOpen311(method, path)).toBeUndefined();
  });
});

describe('GeoReport documents', () => {
  it('writes XML with the declaration, escaped text, no control characters, nulls and empty lists as empty elements', () => {
    const xml = renderOpen311({ root: 'service_requests', body: [{ token: 't', service_notice: 'a < b & "c" \u0007ok', account_id: null }] }, 'xml');
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?><service_requests><request><token>t</token><service_notice>a &lt; b &amp; &quot;c&quot; ok</service_notice><account_id/></request></service_requests>');
    expect(renderOpen311({ root: 'service_requests', body: [] }, 'xml')).toBe('<?xml version="1.0" encoding="UTF-8"?><service_requests/>');
    expect(renderOpen311({ root: 'service_requests', body: [{ token: 't', account_id: null }] }, 'json')).toBe('[{"token":"t","account_id":null}]');
  });

  it('dates requests in the W3C format with the city\'s offset, coordinates to 4 decimals', () => {
    expect(w3cDateTime('2026-05-12T03:44:00.000Z')).toBe('2026-05-12T11:44:00+08:00');
    expect(w3cDateTime('2026-12-31T20:00:00.000Z')).toBe('2027-01-01T04:00:00+08:00');
    expect(round4(26.87905)).toBe(26.8791);
    expect(round4(112.61304999)).toBe(112.613);
  });

  it('hides phone numbers, e-mail addresses and ID numbers a reporter typed into the description and address', () => {
    const c = { caseNumber: '2026-000001', status: 'filed', description: '电话１３９１２３４５６７８，邮箱 a@qq.com', address: '解放路12号 0734-8123456', createdAt: '2026-05-12T03:44:00.000Z', updatedAt: '2026-05-12T03:44:00.000Z' } as never;
    expect(requestView(c)).toMatchObject({ description: '电话[电话已隐藏]，邮箱 [邮箱已隐藏]', address: '解放路12号 [电话已隐藏]' });
  });

  it('maps every case status to open or closed with a fixed public note', () => {
    for (const status of CASE_STATUSES) {
      expect(['open', 'closed']).toContain(OPEN311_STATUS[status]);
      expect(STATUS_NOTES[status]({ assignment: { departmentId: 'd', departmentName: '雁峰街道城管大队' } } as never)).toMatch(/\S/);
    }
    expect(OPEN311_STATUS.closed).toBe('closed');
    expect(OPEN311_STATUS.rejected).toBe('closed');
    expect(OPEN311_STATUS.dispatched).toBe('open');
  });

  it('shows a request without people: no reporter, caller, assignee or submission', () => {
    const view = requestView({
      id: 'c1', caseNumber: '2026-000001', status: 'dispatched', channel: 'open311', description: '井盖缺失', location: { lat: 26.879012, lng: 112.613098 },
      reporterId: 'u1', callerPhone: '+8613912345678', assignment: { departmentId: 'd', departmentName: '雁峰街道城管大队', assigneeId: 'h1', assigneeName: '李四' },
      submission: { client: { keyId: 'k', name: 'App' }, firstName: '小明', phone: '+8613912345678' },
      dispatchPath: ['d'], escalationLevel: 0, reworkCount: 0, beforePhotoKeys: [], afterPhotoKeys: [], createdAt: '2026-05-12T03:44:00.000Z', updatedAt: '2026-05-12T04:00:00.000Z', version: 3, eventCount: 3,
      dueAt: '2026-05-13T03:44:00.000Z',
    });
    expect(view).toMatchObject({ agency_responsible: '雁峰街道城管大队', status_notes: '已派遣至雁峰街道城管大队处置', lat: 26.879, long: 112.6131, expected_datetime: '2026-05-13T11:44:00+08:00' });
    const text = JSON.stringify(view);
    for (const personal of ['u1', '139', '李四', 'h1', '小明', 'App']) expect(text).not.toContain(personal);
  });
});

describe('list filters and the 90-day window', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const day = 86_400_000;
  it('defaults to the most recent 90 days', () => {
    expect(listWindow({}, now)).toEqual({ from: new Date(now.getTime() - 90 * day), to: now });
  });
  it('takes 90 days from a start_date or up to an end_date', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect(listWindow({ start_date: start }, now)).toEqual({ from: start, to: new Date(start.getTime() + 90 * day) });
    expect(listWindow({ start_date: new Date('2026-05-01T00:00:00Z') }, now).to).toEqual(now);
    expect(listWindow({ end_date: start }, now)).toEqual({ from: new Date(start.getTime() - 90 * day), to: start });
  });
  it('accepts exactly 90 days and refuses more, or a reversed window', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect(() => listWindow({ start_date: start, end_date: new Date(start.getTime() + 90 * day) }, now)).not.toThrow();
    expect(() => listWindow({ start_date: start, end_date: new Date(start.getTime() + 90 * day + 1000) }, now)).toThrow(ValidationError);
    expect(() => listWindow({ start_date: now, end_date: start }, now)).toThrow(ValidationError);
  });
  it('parses W3C dates with an offset or a plain day, comma lists, and ignores blank fields', () => {
    const parsed = RequestListQuery.parse({ start_date: '2026-05-12T08:00:00+08:00', end_date: '2026-05-13', status: 'open,closed', service_code: 'E0503, C0101', service_request_id: '' });
    expect(parsed.start_date?.toISOString()).toBe('2026-05-12T00:00:00.000Z');
    expect(parsed.end_date?.toISOString()).toBe('2026-05-12T16:00:00.000Z');
    expect(parsed.status).toEqual(['open', 'closed']);
    expect(parsed.service_code).toEqual(['E0503', 'C0101']);
    expect(parsed.service_request_id).toBeUndefined();
    expect(RequestListQuery.safeParse({ start_date: '2026-05-12T08:00:00' }).success).toBe(false);
    expect(RequestListQuery.safeParse({ status: 'pending' }).success).toBe(false);
    // A day that does not exist is refused, with or without a time (not rolled over into March).
    expect(RequestListQuery.safeParse({ end_date: '2026-02-30' }).success).toBe(false);
    expect(RequestListQuery.safeParse({ end_date: '2026-02-30T10:00:00Z' }).success).toBe(false);
    expect(RequestListQuery.safeParse({ end_date: '2028-02-29' }).success).toBe(true);
    expect(RequestListQuery.safeParse({ end_date: '2026-13-01' }).success).toBe(false);
    // Years before the platform are refused (year 0050 would be partitioned into thousands of months).
    expect(RequestListQuery.safeParse({ end_date: '0000-01-01' }).success).toBe(false);
    expect(RequestListQuery.safeParse({ start_date: '0050-03-01', end_date: '0050-05-01' }).success).toBe(false);
    expect(RequestListQuery.safeParse({ start_date: '2000-01-01T00:00:00Z' }).success).toBe(true);
  });
});

describe('the POST form', () => {
  const base = { service_code: 'E0503', lat: '26.879', long: '112.613' };
  it('gathers attribute[code] fields and treats empty fields as absent', () => {
    const parsed = ServiceRequestForm.parse({ ...base, 'attribute[FLOOR]': '2', 'attribute[KIND]': ['a', 'b'], email: '', description: ' 晾衣 ' });
    expect(parsed).toMatchObject({ lat: 26.879, long: 112.613, attribute: { FLOOR: '2', KIND: ['a', 'b'] }, description: '晾衣' });
    expect(parsed.email).toBeUndefined();
  });
  it('needs lat and long together, or an address_string', () => {
    expect(ServiceRequestForm.safeParse({ service_code: 'E0503', address_string: '当家路12号' }).success).toBe(true);
    expect(ServiceRequestForm.safeParse({ service_code: 'E0503', lat: '26.879' }).success).toBe(false);
    expect(ServiceRequestForm.safeParse({ service_code: 'E0503' }).success).toBe(false);
    expect(ServiceRequestForm.safeParse({ service_code: 'E0503', address_id: '545483' }).success).toBe(false);
  });
  it('limits the description to 4,000 characters and refuses unknown fields', () => {
    expect(ServiceRequestForm.safeParse({ ...base, description: 'x'.repeat(4000) }).success).toBe(true);
    expect(ServiceRequestForm.safeParse({ ...base, description: 'x'.repeat(4001) }).success).toBe(false);
    expect(ServiceRequestForm.safeParse({ ...base, status: 'closed' }).success).toBe(false);
    expect(ServiceRequestForm.safeParse({ ...base, media_url: 'javascript:alert(1)' }).success).toBe(false);
  });
  it('refuses attribute codes an object already has, or that are no word; what it accepts the table can store', () => {
    for (const code of ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'a b', '']) {
      const form = parseForm(`service_code=E0503&address_string=x&attribute[${encodeURIComponent(code)}]=x&attribute[${encodeURIComponent(code)}][]=y`);
      const parsed = ServiceRequestForm.safeParse(form);
      expect(parsed.success, code).toBe(false);
    }
    for (const body of ['attribute[a][b]=x', 'attribute[]=x', 'attribute=x', 'attribute[constructor][toString]=x', '__proto__[a]=x', 'constructor[prototype]=x']) {
      expect(ServiceRequestForm.safeParse(parseForm(`service_code=E0503&address_string=x&${body}`)).success, body).toBe(false);
    }
    const parsed = ServiceRequestForm.parse(parseForm('service_code=E0503&address_string=x&attribute[FLOOR]=2&attribute[kind.of-thing_1]=a'));
    expect(() => marshall({ attributes: parsed.attribute })).not.toThrow();
    expect(parsed.attribute).toEqual({ FLOOR: '2', 'kind.of-thing_1': 'a' });
  });
});

describe('API keys', () => {
  it('embeds the record id in a new key and stores only the secret\'s hash', () => {
    const { key, record } = newApiKey('App', 'admin-1', new Date('2026-05-12T00:00:00Z'));
    expect(key).toMatch(/^o311_[0-9a-f]{16}_[0-9a-f]{64}$/);
    expect(keyParts(key).id).toBe(record.id);
    expect(JSON.stringify(record)).not.toContain(keyParts(key).secret);
    expect(record.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });
  it('finds a key of another shape (the local one) by an id derived from its hash', () => {
    const legacy = '0123456789abcdef0123456789abcdef';
    const record = recordForKey(legacy, 'local', 'local-platform', new Date());
    expect(keyParts(legacy).id).toBe(record.id);
    expect(record.id).toMatch(/^h[0-9a-f]{23}$/);
    expect(keyParts(`${legacy}x`).id).not.toBe(record.id);
  });
});
