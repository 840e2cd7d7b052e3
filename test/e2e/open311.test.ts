import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_OPEN311_CLIENT } from '#infra/local/platform';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

/**
 * Open311 GeoReport v2 over HTTP, checked against the specification (wiki.open311.org/GeoReport_v2):
 * element names, list shapes, XML declaration and content types, W3C dates with an offset, errors as
 * `[{ code, description }]` / `<errors><error>`, and no personal data in any public read.
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let agent: string;
let admin: string;
beforeAll(async () => {
  platform = await startTestPlatform();
  agent = (await loginAs(platform.url, '+8613800000002')).accessToken;
  admin = (await loginAs(platform.url, '+8613800000001')).accessToken;
});
afterAll(async () => platform?.stop());

const LISTS = ['service', 'request', 'error', 'endpoint', 'format', 'attribute', 'value'];
const xmlParser = new XMLParser({ parseTagValue: false, isArray: (name) => LISTS.includes(name) });

/** A raw call: status, headers and body text (JSON or XML). */
const call = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${platform.url}/open311/v2/${path}`, init);
  return { status: response.status, type: response.headers.get('content-type'), headers: response.headers, text: await response.text() };
};
const json = async (path: string, init?: RequestInit) => {
  const r = await call(path, init);
  return { ...r, body: JSON.parse(r.text) };
};
const xml = async (path: string, init?: RequestInit) => {
  const r = await call(path, init);
  return { ...r, doc: xmlParser.parse(r.text) };
};
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  call(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers }, body: new URLSearchParams(fields).toString() });
const staff = (token: string, method: string, path: string, body?: unknown) =>
  platform.api(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

const REPORT = {
  service_code: 'E0503',
  lat: '26.879012345',
  long: '112.613098765',
  address_string: '雁峰区当家村社区 当家路12号',
  description: '沿街晾晒衣物，挡住人行道。联系我 13912345678',
  first_name: '小明',
  last_name: '张',
  phone: '13912345678',
  email: 'zhang.xiaoming@example.com',
  device_id: 'device-42',
  account_id: 'acct-7',
  media_url: 'https://example.com/photo/1.jpg',
  'attribute[FLOOR]': '2',
};
const PERSONAL = ['小明', '张', '13912345678', 'zhang.xiaoming', 'device-42', 'acct-7', 'example.com/photo', '+86'];

describe('Open311 discovery and services', () => {
  it('describes the endpoint in both formats (specification, url, formats)', async () => {
    const j = await json('discovery.json');
    expect(j.status).toBe(200);
    expect(j.type).toBe('application/json; charset=utf-8');
    expect(j.body).toMatchObject({ changeset: expect.any(String), contact: expect.any(String), key_service: expect.any(String) });
    expect(j.body.endpoints).toEqual([
      { specification: 'http://wiki.open311.org/GeoReport_v2', url: `${platform.url}/open311/v2`, changeset: j.body.changeset, type: 'test', formats: ['text/xml', 'application/json'] },
    ]);
    const x = await xml('discovery.xml');
    expect(x.type).toBe('text/xml; charset=utf-8');
    expect(x.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><discovery>')).toBe(true);
    expect(x.text).not.toMatch(/xmlns/);
    expect(x.doc.discovery.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
    expect(x.doc.discovery.endpoints.endpoint[0].specification).toBe('http://wiki.open311.org/GeoReport_v2');
  });

  it('lists the category catalogue as services, the same in JSON and XML, element by element', async () => {
    const j = await json('services.json');
    const x = await xml('services.xml');
    expect(j.status).toBe(200);
    expect(x.status).toBe(200);
    expect(j.body.length).toBeGreaterThanOrEqual(40);
    const e0503 = j.body.find((s: { service_code: string }) => s.service_code === 'E0503');
    expect(e0503).toMatchObject({ service_name: '沿街晾挂', metadata: false, type: 'batch', group: '事件' });
    expect(j.body.find((s: { service_code: string }) => s.service_code === 'C0101').group).toBe('部件');
    const services = x.doc.services.service as Array<Record<string, string>>;
    expect(services).toHaveLength(j.body.length);
    services.forEach((element, i) => {
      const item = j.body[i];
      expect(Object.keys(element)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
      for (const [name, value] of Object.entries(item)) expect(element[name], `${item.service_code} ${name}`).toBe(String(value));
    });
  });

  it('answers a service definition (no extra questions) and 404 for an unknown code, in both formats', async () => {
    expect((await json('services/E0503.json')).body).toEqual({ service_code: 'E0503', attributes: [] });
    const x = await call('services/E0503.xml');
    expect(x.text).toBe('<?xml version="1.0" encoding="UTF-8"?><service_definition><service_code>E0503</service_code><attributes/></service_definition>');
    const missing = await json('services/X9999.json');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual([{ code: 404, description: expect.stringContaining('X9999') }]);
    const missingXml = await xml('services/X9999.xml');
    expect(missingXml.status).toBe(404);
    expect(missingXml.type).toBe('text/xml; charset=utf-8');
    expect(missingXml.doc.errors.error).toEqual([{ code: '404', description: expect.stringContaining('X9999') }]);
  });

  it('answers unknown paths, a missing suffix and wrong methods with the standard\'s 404 list', async () => {
    for (const [path, init] of [['nothing.json', {}], ['requests', {}], ['services.json', { method: 'POST' }]] as const) {
      const r = await call(path, init);
      expect(r.status, path).toBe(404);
    }
    expect(JSON.parse((await call('nothing.json')).text)).toEqual([{ code: 404, description: expect.any(String) }]);
    expect(xmlParser.parse((await call('requests')).text).errors.error[0].code).toBe('404');
  });
});

describe('Open311 service requests', () => {
  let token: string;
  let caseNumber: string;

  it('refuses a POST without an api_key, or with a wrong one, with 403 in the standard\'s shape', async () => {
    const missing = await post('requests.json', REPORT);
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.text)).toEqual([{ code: 403, description: expect.any(String) }]);
    const wrong = await post('requests.xml', { ...REPORT, api_key: `${platform.secrets.OPEN311_API_KEY}x` });
    expect(wrong.status).toBe(403);
    expect(xmlParser.parse(wrong.text).errors.error[0].code).toBe('403');
    const invalid = await post('requests.json', { ...REPORT, service_code: '', api_key: platform.secrets.OPEN311_API_KEY });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.text)[0].code).toBe(400);
    const json415 = await call('requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...REPORT, api_key: platform.secrets.OPEN311_API_KEY }) });
    expect(json415.status).toBe(415);
    expect(JSON.parse(json415.text)[0].code).toBe(415);
  });

  it('creates a reported open311 case with a token, once per Idempotency-Key, the key\'s name on the timeline', async () => {
    const fields = { ...REPORT, api_key: platform.secrets.OPEN311_API_KEY };
    const created = await post('requests.json', fields, { 'idempotency-key': 'open311-e2e-1' });
    expect(created.status).toBe(201);
    const body = JSON.parse(created.text);
    expect(body).toEqual([{ token: expect.stringMatching(/^[0-9a-f-]{36}$/), service_notice: expect.stringContaining('沿街晾挂'), account_id: 'acct-7' }]);
    token = body[0].token;
    const again = await post('requests.json', fields, { 'idempotency-key': 'open311-e2e-1' });
    expect(JSON.parse(again.text)[0].token).toBe(token);
    const other = await post('requests.json', { ...fields, description: '另一件事' }, { 'idempotency-key': 'open311-e2e-1' });
    expect(other.status).toBe(409);
    expect(JSON.parse(other.text)).toEqual([{ code: 409, description: expect.any(String) }]);

    const detail = await staff(agent, 'GET', `/v1/cases/${token}`);
    expect(detail.json.case).toMatchObject({ status: 'reported', channel: 'open311', categoryCode: 'E0503', address: REPORT.address_string, gridName: '当家村社区' });
    expect(detail.json.case.submission).toMatchObject({ client: { name: LOCAL_OPEN311_CLIENT }, firstName: '小明', phone: '+86 139****5678', attributes: { FLOOR: '2' } });
    expect(detail.json.timeline[0]).toMatchObject({ action: 'report', actor: { role: 'system', displayName: LOCAL_OPEN311_CLIENT } });
    const xmlCreated = await post('requests.xml', { ...fields, description: 'XML 客户端' });
    expect(xmlCreated.status).toBe(201);
    expect(xmlCreated.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><service_requests><request><token>[0-9a-f-]{36}<\/token><service_notice>[^<]+<\/service_notice><account_id>acct-7<\/account_id><\/request><\/service_requests>$/);
  });

  it('gives the token its service_request_id (the case number) once the case is filed', async () => {
    const before = await json(`tokens/${token}.json`);
    expect(before.body).toEqual([{ token }]);
    expect((await json(`requests/2026-999999.json`)).status).toBe(404);
    const filed = await staff(agent, 'POST', `/v1/cases/${token}/file`, { categoryCode: 'E0503', note: 'internal: 坐席内部备注' });
    expect(filed.status).toBe(200);
    caseNumber = filed.json.case.caseNumber;
    expect((await json(`tokens/${token}.json`)).body).toEqual([{ service_request_id: caseNumber, token }]);
    const x = await xml(`tokens/${token}.xml`);
    expect(x.doc.service_requests.request).toEqual([{ service_request_id: caseNumber, token }]);
    expect((await json('tokens/not-a-token.json')).status).toBe(404);
  });

  it('reads the request back by its number, without any personal data, in both formats', async () => {
    const j = await json(`requests/${caseNumber}.json`);
    expect(j.status).toBe(200);
    expect(j.body).toHaveLength(1);
    const request = j.body[0];
    expect(request).toMatchObject({
      service_request_id: caseNumber,
      status: 'open',
      status_notes: '已立案，等待派遣',
      service_name: '沿街晾挂',
      service_code: 'E0503',
      description: '沿街晾晒衣物，挡住人行道。联系我 [电话已隐藏]',
      address: REPORT.address_string,
      lat: 26.879,
      long: 112.6131,
    });
    expect(request.requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(request.updated_datetime).toMatch(/\+08:00$/);
    expect(request.media_url).toBeUndefined();
    const x = await xml(`requests/${caseNumber}.xml`);
    const element = x.doc.service_requests.request[0];
    for (const [name, value] of Object.entries(request)) expect(element[name], name).toBe(String(value));
    for (const text of [j.text, x.text]) {
      for (const personal of PERSONAL) expect(text, personal).not.toContain(personal);
      expect(text).not.toContain('internal');
      expect(text).not.toContain(LOCAL_OPEN311_CLIENT);
    }
  });

  it('lists requests of the default 90 days, filtered by service_code, status and service_request_id', async () => {
    const all = await json('requests.json');
    expect(all.status).toBe(200);
    const numbers = all.body.map((r: { service_request_id: string }) => r.service_request_id);
    expect(numbers).toContain(caseNumber);
    // Unfiled cases (no number yet) are not public.
    expect(all.body.every((r: { service_request_id?: string }) => typeof r.service_request_id === 'string')).toBe(true);
    expect((await json('requests.json?service_code=C0101')).body).toEqual([]);
    expect((await json('requests.json?service_code=C0101,E0503')).body.map((r: { service_request_id: string }) => r.service_request_id)).toContain(caseNumber);
    expect((await json('requests.json?status=closed')).body).toEqual([]);
    expect((await json('requests.json?status=open')).body.map((r: { service_request_id: string }) => r.service_request_id)).toContain(caseNumber);
    const byId = await json(`requests.json?service_request_id=${caseNumber},2026-999999&status=closed`);
    expect(byId.body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([caseNumber]);
    const past = await json('requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-03-01T00:00:00Z');
    expect(past.body).toEqual([]);
    const x = await xml('requests.xml?status=open');
    expect(x.doc.service_requests.request.map((r: { service_request_id: string }) => r.service_request_id)).toContain(caseNumber);
    for (const text of [all.text, x.text]) for (const personal of PERSONAL) expect(text, personal).not.toContain(personal);
  });

  it('refuses a window over 90 days, a reversed one and a date without an offset, with 400 in both formats', async () => {
    const long = await json('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z');
    expect(long.status).toBe(400);
    expect(long.body).toEqual([{ code: 400, description: expect.stringContaining('90 days') }]);
    const exactly90 = await json('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z');
    expect(exactly90.status).toBe(200);
    const reversed = await xml('requests.xml?start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z');
    expect(reversed.status).toBe(400);
    expect(reversed.doc.errors.error[0].code).toBe('400');
    expect((await json('requests.json?start_date=2026-03-01T00:00:00')).status).toBe(400);
  });
});

describe('API keys', () => {
  it('creates a key shown once, accepts it for requests (its name on the timeline), and stops it when deleted', async () => {
    const created = await staff(admin, 'POST', '/v1/admin/api-keys', { name: '市民通 App' });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: expect.any(String), key: expect.stringMatching(/^o311_/), name: '市民通 App', createdAt: expect.any(String) });
    expect(created.json.key).toContain(created.json.id);
    expect((await staff(agent, 'POST', '/v1/admin/api-keys', { name: 'x' })).status).toBe(403);

    const report = await post('requests.json', { ...REPORT, api_key: created.json.key });
    expect(report.status).toBe(201);
    const caseId = JSON.parse(report.text)[0].token;
    const detail = await staff(agent, 'GET', `/v1/cases/${caseId}`);
    expect(detail.json.timeline[0].actor.displayName).toBe('市民通 App');

    // Reads with a key are fine; a revoked key is refused everywhere it is presented.
    expect((await call(`services.json?api_key=${encodeURIComponent(created.json.key)}`)).status).toBe(200);
    expect((await staff(admin, 'DELETE', `/v1/admin/api-keys/${created.json.id}`)).status).toBe(204);
    expect((await staff(admin, 'DELETE', `/v1/admin/api-keys/${created.json.id}`)).status).toBe(404);
    expect((await post('requests.json', { ...REPORT, api_key: created.json.key })).status).toBe(403);
    expect((await call(`services.json?api_key=${encodeURIComponent(created.json.key)}`)).status).toBe(403);
  });
});

describe('request keys never reach an object\'s prototype', () => {
  const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
  let key: string;
  beforeAll(async () => {
    // A key of its own: the fuzz below must not spend the local key's per-minute budget.
    key = (await staff(admin, 'POST', '/v1/admin/api-keys', { name: 'fuzz' })).json.key;
  });
  const postRaw = (body: string) =>
    call('requests.json', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `service_code=E0503&address_string=${encodeURIComponent('当家路12号')}&api_key=${encodeURIComponent(key)}&${body}` });

  it('answers form fields named like object members with 400 in the standard\'s list (never 500), and stores a plain attribute', async () => {
    const bodies = [
      ...NAMES.flatMap((name) => [`attribute[${name}]=x`, `attribute[${name}][]=x`, `${name}=x`, `attribute[${name}][a]=x`]),
      'attribute[a][b]=x',
      'attribute[]=x',
      'attribute=x',
      'attribute[[a]]=x',
    ];
    for (const body of bodies) {
      const answer = await postRaw(body);
      expect(answer.status, body).toBe(400);
      expect(JSON.parse(answer.text), body).toEqual([{ code: 400, description: expect.any(String) }]);
    }
    const plain = await postRaw('attribute[FLOOR]=2&attribute[KIND][]=a&attribute[KIND][]=b');
    expect(plain.status).toBe(201);
    const detail = await staff(agent, 'GET', `/v1/cases/${JSON.parse(plain.text)[0].token}`);
    expect(detail.json.case.submission.attributes).toEqual({ FLOOR: '2', KIND: ['a', 'b'] });
  });

  it('reads query parameters named like object members as unknown parameters (ignored by reads, never 500)', async () => {
    for (const name of NAMES) {
      for (const path of [`services.json?${name}=x`, `requests.json?${name}=x&${name}=y`, `requests.json?${name}[a]=x`, `discovery.json?${name}`]) {
        const answer = await call(path);
        expect(answer.status, path).toBe(200);
      }
    }
  });
});
