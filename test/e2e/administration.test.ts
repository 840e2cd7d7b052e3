import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { latestAnchor } from '#infra/cli/anchors';
import { LOCAL_ANCHOR_BUCKET } from '#infra/local/s3';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let admin: string;
let agent: string;
beforeAll(async () => {
  platform = await startTestPlatform();
  admin = (await loginAs(platform.url, '+8613800000001')).accessToken;
  agent = (await loginAs(platform.url, '+8613800000002')).accessToken;
});
afterAll(async () => platform?.stop());

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const send = (method: string, token: string, body: unknown, headers: Record<string, string> = {}) => ({ method, headers: { ...auth(token), 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const square = (lng: number, lat: number) => [[[lng, lat], [lng + 0.01, lat], [lng + 0.01, lat + 0.01], [lng, lat + 0.01], [lng, lat]]];
const feature = (id: string, name: string, coordinates: unknown) => ({ type: 'Feature', id, properties: { name, community: name, street: '测试街道', district: '测试区' }, geometry: { type: 'Polygon', coordinates } });

describe('administration over HTTP', () => {
  it('POST /v1/admin/staff/batch: a dry run, then the rows; row errors in the caller\'s language; admins only', async () => {
    const items = [
      { phone: '13900020001', displayName: '处置 批一', roles: ['handler'], departmentId: 'yanfeng-street-brigade' },
      { phone: '13900020002', displayName: '处置 批二', roles: ['handler'], departmentId: 'no-such-brigade' },
    ];
    expect((await platform.api('/v1/admin/staff/batch', send('POST', agent, { items }))).status).toBe(403);
    const dry = await platform.api('/v1/admin/staff/batch', send('POST', admin, { items, dryRun: true }, { 'accept-language': 'en' }));
    expect(dry.status).toBe(200);
    expect(dry.json).toEqual({
      items: [
        { row: 1, phone: '+8613900020001', outcome: 'created' },
        { row: 2, phone: '+8613900020002', outcome: 'invalid', errors: [{ path: 'departmentId', message: 'No department no-such-brigade' }] },
      ],
      dryRun: true,
      written: 0,
    });
    items[1]!.departmentId = 'yanfeng-street-brigade';
    const applied = await platform.api('/v1/admin/staff/batch', send('POST', admin, { items }));
    expect(applied.json.items.map((i: { outcome: string }) => i.outcome)).toEqual(['created', 'created']);
    expect(applied.json.written).toBe(2);
    const again = await platform.api('/v1/admin/staff/batch', send('POST', admin, { items }));
    expect(again.json.items.map((i: { outcome: string }) => i.outcome)).toEqual(['unchanged', 'unchanged']);
    // More than 500 rows is the request's problem, not a row's.
    const tooMany = await platform.api('/v1/admin/staff/batch', send('POST', admin, { items: Array.from({ length: 501 }, () => items[0]) }));
    expect(tooMany.status).toBe(400);
  });

  it('POST /v1/admin/staff/batch: a row\'s format errors (a bad phone, a malformed department id) in Chinese by default, English on request', async () => {
    const items = [
      { phone: '12345', displayName: '处置 格式', roles: ['handler'], departmentId: 'yanfeng-street-brigade' },
      { phone: '13900020011', displayName: '处置 格式二', roles: ['handler'], departmentId: 'Yanfeng Brigade!' },
    ];
    const zh = await platform.api('/v1/admin/staff/batch', send('POST', admin, { items, dryRun: true }));
    expect(zh.json.items.map((i: { errors: unknown }) => i.errors)).toEqual([
      [{ path: 'phone', message: '手机号格式不正确：请填写 11 位大陆手机号或 E.164 格式（+8613800000007）' }],
      [{ path: 'departmentId', message: '部门编号格式不正确（小写字母、数字和连字符）' }],
    ]);
    const en = await platform.api('/v1/admin/staff/batch', send('POST', admin, { items, dryRun: true }, { 'accept-language': 'en-US,en;q=0.9' }));
    expect(en.json.items[1].errors).toEqual([{ path: 'departmentId', message: 'A department id (lower-case letters, digits, dashes)' }]);
  });

  it('GET /v1/admin/staff: the directory with phones for admins, filtered; others get 403', async () => {
    const page = await platform.api('/v1/admin/staff?q=批一&limit=10', { headers: auth(admin) });
    expect(page.status).toBe(200);
    expect(page.json.items).toEqual([expect.objectContaining({ phone: '+8613900020001', displayName: '处置 批一', departmentId: 'yanfeng-street-brigade', departmentName: '雁峰街道城管大队', gridIds: [], status: 'active' })]);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const disabled = await platform.api('/v1/admin/staff?status=disabled', { headers: auth(admin) });
    expect(disabled.json.items.every((i: { status: string }) => i.status === 'disabled')).toBe(true);
    expect((await platform.api('/v1/admin/staff', { headers: auth(agent) })).status).toBe(403);
  });

  it('GET /v1/admin/staff?phone=: the staff member holding a whole number (11 digits or E.164), with the other filters; a part of a number is a 400', async () => {
    const byPhone = await platform.api('/v1/admin/staff?phone=13900020001', { headers: auth(admin) });
    expect(byPhone.status).toBe(200);
    expect(byPhone.json.items).toEqual([expect.objectContaining({ phone: '+8613900020001', displayName: '处置 批一' })]);
    expect((await platform.api(`/v1/admin/staff?phone=${encodeURIComponent('+8613900020001')}&role=handler&status=active`, { headers: auth(admin) })).json.items).toHaveLength(1);
    expect((await platform.api('/v1/admin/staff?phone=13900020001&status=disabled', { headers: auth(admin) })).json.items).toEqual([]);
    expect((await platform.api('/v1/admin/staff?phone=13900020001&role=supervisor', { headers: auth(admin) })).json.items).toEqual([]);
    // Nobody's number, and a citizen's: no staff member.
    expect((await platform.api('/v1/admin/staff?phone=13900029999', { headers: auth(admin) })).json.items).toEqual([]);
    await loginAs(platform.url, '+8613900029998', 'register');
    expect((await platform.api('/v1/admin/staff?phone=13900029998', { headers: auth(admin) })).json.items).toEqual([]);
    const part = await platform.api('/v1/admin/staff?phone=0001', { headers: auth(admin) });
    expect(part.status).toBe(400);
    expect(part.json.error.details).toEqual([{ path: 'query.phone', message: expect.stringMatching(/^手机号格式不正确/) }]);
    expect((await platform.api('/v1/admin/staff?phone=13900020001', { headers: auth(agent) })).status).toBe(403);
  });

  it('GET /v1/admin/api-keys lists the keys without the key or its hash', async () => {
    const created = await platform.api('/v1/admin/api-keys', send('POST', admin, { name: '12345 热线对接' }));
    expect(created.status).toBe(201);
    const list = await platform.api('/v1/admin/api-keys', { headers: auth(admin) });
    expect(list.status).toBe(200);
    const entry = list.json.items.find((k: { id: string }) => k.id === created.json.id);
    expect(Object.keys(entry).sort()).toEqual(['createdAt', 'createdBy', 'id', 'name']);
    expect(JSON.stringify(list.json)).not.toContain(created.json.key.split('_')[2]);
    expect(JSON.stringify(list.json)).not.toMatch(/secretHash|[0-9a-f]{64}/);
    expect((await platform.api('/v1/admin/api-keys', { headers: auth(agent) })).status).toBe(403);
  });

  it('POST /v1/admin/grids/batch: one bad feature is a 400 naming it and nothing is written; a dry run writes nothing; then created/unchanged', async () => {
    const good = feature('batch-test-a', '批量甲', square(112.5, 26.7));
    const crossing = feature('batch-test-b', '批量乙', [[[112.52, 26.7], [112.53, 26.71], [112.53, 26.7], [112.52, 26.71], [112.52, 26.7]]]);
    const bad = await platform.api('/v1/admin/grids/batch', send('POST', admin, { type: 'FeatureCollection', features: [good, crossing] }));
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { path: string }) => d.path)).toEqual(['features.1.geometry.coordinates']);
    const twice = await platform.api('/v1/admin/grids/batch', send('POST', admin, { type: 'FeatureCollection', features: [good, good] }));
    expect(twice.status).toBe(400);
    const grids = async () => (await platform.api('/v1/grids?limit=100', { headers: auth(admin) })).json.items.map((g: { id: string }) => g.id);
    expect(await grids()).not.toContain('batch-test-a');

    const other = feature('batch-test-c', '批量丙', square(112.54, 26.7));
    const dry = await platform.api('/v1/admin/grids/batch?dryRun=true', send('POST', admin, { type: 'FeatureCollection', features: [good, other] }));
    expect(dry.json).toEqual({ items: [{ id: 'batch-test-a', outcome: 'created' }, { id: 'batch-test-c', outcome: 'created' }], dryRun: true, written: 0 });
    expect(await grids()).not.toContain('batch-test-a');
    const applied = await platform.api('/v1/admin/grids/batch', send('POST', admin, { type: 'FeatureCollection', features: [good, other] }));
    expect(applied.json.written).toBe(2);
    expect(await grids()).toEqual(expect.arrayContaining(['batch-test-a', 'batch-test-c']));
    const renamed = feature('batch-test-c', '批量丙改', square(112.54, 26.7));
    const again = await platform.api('/v1/admin/grids/batch', send('POST', admin, { type: 'FeatureCollection', features: [good, renamed] }));
    expect(again.json.items).toEqual([{ id: 'batch-test-a', outcome: 'unchanged' }, { id: 'batch-test-c', outcome: 'updated' }]);
  });
});

describe('操作日志 over HTTP', () => {
  it('an admin write appears in GET /v1/admin/audit with before and after; the leader reads it without phones; others get 403', async () => {
    const leader = (await loginAs(platform.url, '+8613800000008')).accessToken;
    const categories = (await platform.api('/v1/categories', { headers: auth(admin) })).json;
    const { code, version: _v, updatedAt: _a, updatedBy: _b, ...body } = (Array.isArray(categories) ? categories : categories.items)[0];
    const changed = await platform.api(`/v1/admin/categories/${code}`, send('PUT', admin, { ...body, timeLimit: { ...body.timeLimit, workingHours: body.timeLimit.workingHours + 4 } }));
    expect(changed.status).toBe(200);
    const page = await platform.api('/v1/admin/audit?kind=category.put&limit=5', { headers: auth(admin) });
    expect(page.status).toBe(200);
    const [entry] = page.json.items;
    expect(entry).toMatchObject({ kind: 'category.put', target: code, actorName: expect.any(String), before: { timeLimit: body.timeLimit }, after: { timeLimit: { workingHours: body.timeLimit.workingHours + 4 } } });
    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);

    await platform.api('/v1/admin/staff/batch', send('POST', admin, { items: [{ phone: '13900020009', displayName: '处置 审计', roles: ['handler'], departmentId: 'yanfeng-street-brigade' }] }));
    const asAdmin = await platform.api('/v1/admin/audit?kind=staff.batch&limit=1', { headers: auth(admin) });
    expect(JSON.stringify(asAdmin.json)).toContain('+8613900020009');
    const asLeader = await platform.api('/v1/admin/audit?kind=staff.batch&limit=1', { headers: auth(leader) });
    expect(asLeader.status).toBe(200);
    expect(asLeader.json.items[0].after[0]).toMatchObject({ displayName: '处置 审计' });
    expect(JSON.stringify(asLeader.json)).not.toContain('+86');
    expect((await platform.api('/v1/admin/audit', { headers: auth(agent) })).status).toBe(403);
  });

  it('the local platform anchors the audit head into its anchor bucket at start, as the stack does every hour (s3rver: no Object Lock)', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: platform.s3Endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      const latest = await latestAnchor(s3, LOCAL_ANCHOR_BUCKET);
      expect(latest?.name).toMatch(/^s3:\/\/citygrid-audit-anchors-local\/anchors\/\d{4}\/\d{2}\/\d{2}\/\d{2}\.json$/);
      expect(latest?.anchor).toEqual({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(String) });
    } finally {
      s3.destroy();
    }
  });
});

describe('two admins at once over HTTP (If-Match / ETag / 412)', () => {
  it('a calendar year: ETag on the GET, If-Match on the PUT, a stale one is 412 with who and when in zh-CN (en on request)', async () => {
    const year = { holidays: ['2026-01-01', '2026-10-01'], workdays: ['2026-09-27'] };
    // Someone stored 2026 already (the demo city): read it as the console would.
    const read = await platform.api('/v1/admin/calendar/2026', { headers: auth(admin) });
    expect(read.status).toBe(200);
    const etag = read.headers.get('etag')!;
    expect(etag).toBe(`"${read.json.version}"`);
    const me = (await platform.api('/v1/me', { headers: auth(admin) })).json.user;
    const first = await platform.api('/v1/admin/calendar/2026', send('PUT', admin, { holidays: read.json.holidays, workdays: read.json.workdays }, { 'if-match': etag }));
    expect(first.status).toBe(200);
    expect(first.json.version).toBe(read.json.version + 1);
    expect(first.headers.get('etag')).toBe(`"${read.json.version + 1}"`);
    expect(first.json.updatedBy).toEqual({ id: me.id, displayName: me.displayName });
    // A second admin still holding the first ETag.
    const stale = await platform.api('/v1/admin/calendar/2026', send('PUT', admin, year, { 'if-match': etag }));
    expect(stale.status).toBe(412);
    expect(stale.json.error).toMatchObject({ code: 'PRECONDITION_FAILED', details: { currentVersion: read.json.version + 1, updatedAt: first.json.updatedAt, updatedBy: { id: me.id, displayName: me.displayName } } });
    expect(stale.json.error.message).toMatch(new RegExp(`^该项已被 ${me.displayName} 于 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d 修改，请刷新后再改$`));
    const english = await platform.api('/v1/admin/calendar/2026', send('PUT', admin, year, { 'if-match': etag, 'accept-language': 'en' }));
    expect(english.json.error.message).toMatch(new RegExp(`^${me.displayName} changed this item at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(Beijing time\\); reload it before changing it$`));
    // Nothing was written by the refused PUTs.
    expect((await platform.api('/v1/admin/calendar/2026', { headers: auth(admin) })).headers.get('etag')).toBe(first.headers.get('etag'));
    // An If-Match that is not one of our tags is a 400; without If-Match the last writer wins.
    expect((await platform.api('/v1/admin/calendar/2026', send('PUT', admin, year, { 'if-match': 'W/"1"' }))).status).toBe(400);
    const blind = await platform.api('/v1/admin/calendar/2026', send('PUT', admin, { holidays: read.json.holidays, workdays: read.json.workdays }));
    expect(blind.status).toBe(200);
    expect(blind.json.version).toBe(read.json.version + 2);
  });

  it('lists carry each item\'s version; a category PUT with a stale If-Match is 412', async () => {
    const categories = (await platform.api('/v1/categories', { headers: auth(admin) })).json;
    const category = categories.find((c: { code: string }) => c.code === 'E9901') ?? categories[0];
    expect(category.version).toEqual(expect.any(Number));
    const { code, version, updatedAt: _a, updatedBy: _b, ...body } = category;
    const ok = await platform.api(`/v1/admin/categories/${code}`, send('PUT', admin, body, { 'if-match': `"${version}"` }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe(`"${version + 1}"`);
    expect((await platform.api(`/v1/admin/categories/${code}`, send('PUT', admin, body, { 'if-match': `"${version}"` }))).status).toBe(412);
    const grids = (await platform.api('/v1/grids?limit=5', { headers: auth(admin) })).json.items;
    expect(grids.every((g: { version: unknown }) => typeof g.version === 'number')).toBe(true);
    const departments = (await platform.api('/v1/departments', { headers: auth(admin) })).json;
    expect(departments.every((d: { version: unknown }) => typeof d.version === 'number')).toBe(true);
  });
});
