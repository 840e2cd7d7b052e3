import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../support/auth.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

/**
 * What the field app (城管通) relies on, over HTTP on the local platform: 我的任务 for handlers and
 * supervisors (`GET /v1/me/tasks`, paged, through the task index); steps queued offline and replayed
 * with their Idempotency-Key.
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const tokens: Record<string, { token: string; id: string }> = {};
const PHONES = { agent: '+8613800000002', supervisor: '+8613800000003', handler: '+8613800000007', citizen: '+8613900004101' };
const BRIGADE = 'yanfeng-street-brigade';

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const [who, phone] of Object.entries(PHONES)) {
    const session = await loginAs(platform.url, phone, who === 'citizen' ? 'register' : 'login');
    tokens[who] = { token: session.accessToken, id: session.user.id };
  }
});
afterAll(async () => platform?.stop());

const call = callAs(() => platform, tokens);

/** A citizen's report with a before photo, filed by the agent. */
async function filedCase(): Promise<{ id: string; before: string }> {
  const before = await uploadPhoto(platform, tokens.citizen!.token, 'before', await jpegWithGps());
  const reported = await call('citizen', 'POST', '/v1/cases', { description: '人行道井盖缺失，行人容易踩空', location: { lat: 26.879, lng: 112.613 }, photoKeys: [before.photoKey] });
  expect(reported.status).toBe(201);
  const id = reported.json.case.id;
  expect((await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0107' })).status).toBe(200);
  return { id, before: before.photoKey };
}

const taskIds = async (who: string) => {
  const page = await call(who, 'GET', '/v1/me/tasks?limit=100');
  expect(page.status).toBe(200);
  return page.json.items.map((t: { caseId: string }) => t.caseId);
};

describe('我的任务 (GET /v1/me/tasks)', () => {
  it('a handler\'s task appears on dispatch, with the case and its before photos, and leaves on reassignment and completion', async () => {
    const { id, before } = await filedCase();
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: BRIGADE, assigneeId: tokens.handler!.id })).status).toBe(200);
    const tasks = await call('handler', 'GET', '/v1/me/tasks');
    expect(tasks.status).toBe(200);
    expect(tasks.json.items).toContainEqual(
      expect.objectContaining({ kind: 'handle', caseId: id, dueAt: expect.any(String), case: expect.objectContaining({ id, status: 'dispatched', caseNumber: expect.any(String), categoryName: expect.any(String), gridId: expect.any(String) }), photos: { before: [{ photoKey: before }] } }),
    );

    // Back to the brigade without an assignee: no longer the handler's.
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: BRIGADE })).status).toBe(200);
    expect(await taskIds('handler')).not.toContain(id);
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: BRIGADE, assigneeId: tokens.handler!.id })).status).toBe(200);
    expect(await taskIds('handler')).toContain(id);

    const after = await uploadPhoto(platform, tokens.handler!.token, 'after', await jpegWithGps());
    expect((await call('handler', 'POST', `/v1/cases/${id}/complete`, { photoKeys: [after.photoKey] })).status).toBe(200);
    expect(await taskIds('handler')).not.toContain(id);
  });

  it('pages with an opaque cursor bound to the caller; other roles are refused', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await filedCase();
      expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: BRIGADE, assigneeId: tokens.handler!.id })).status).toBe(200);
      ids.push(id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('handler', 'GET', `/v1/me/tasks?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items.map((t: { caseId: string }) => t.caseId));
      cursor = page.json.nextCursor;
      if (cursor) expect((await call('supervisor', 'GET', `/v1/me/tasks?cursor=${encodeURIComponent(cursor)}`)).status).toBe(400);
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(ids));
    expect(new Set(seen).size).toBe(seen.length);
    expect((await call('citizen', 'GET', '/v1/me/tasks')).status).toBe(403);
    expect((await call('agent', 'GET', '/v1/me/tasks')).status).toBe(403);
  });
});

/** A POST as `who` with an Idempotency-Key (and the JSON body). */
const keyed = (who: string, path: string, body: unknown, key: string) =>
  platform.api(path, { method: 'POST', headers: { authorization: `Bearer ${tokens[who]!.token}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });

describe('replays of queued steps (Idempotency-Key)', () => {
  it('answers a completion replayed after its success with 200 and the case, once on the timeline; another body is 409; keys are checked', async () => {
    const { id } = await filedCase();
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: BRIGADE, assigneeId: tokens.handler!.id })).status).toBe(200);
    const after = await uploadPhoto(platform, tokens.handler!.token, 'after', await jpegWithGps());
    const body = { photoKeys: [after.photoKey], note: '已清理' };
    const key = `field-${crypto.randomUUID()}`;
    const first = await keyed('handler', `/v1/cases/${id}/complete`, body, key);
    expect(first.status).toBe(200);
    const replayed = await keyed('handler', `/v1/cases/${id}/complete`, body, key);
    expect(replayed.status).toBe(200);
    expect(replayed.json.case).toMatchObject({ id, status: 'handled', version: first.json.case.version });
    const other = await keyed('handler', `/v1/cases/${id}/complete`, { ...body, note: '另一个说明' }, key);
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('CONFLICT');
    expect(other.json.error.message).toMatch(/Idempotency-Key/);
    expect((await keyed('handler', `/v1/cases/${id}/complete`, body, 'short')).status).toBe(400);
    const detail = await call('agent', 'GET', `/v1/cases/${id}`);
    expect(detail.json.timeline.filter((e: { action: string }) => e.action === 'complete')).toHaveLength(1);
  });

  it('answers a request (201) replayed with 201, and the same key on another path acts there', async () => {
    const { id } = await filedCase();
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: BRIGADE, assigneeId: tokens.handler!.id })).status).toBe(200);
    const key = `field-${crypto.randomUUID()}`;
    const body = { kind: 'extension', reason: '需要采购井盖', hours: 8 };
    expect((await keyed('handler', `/v1/cases/${id}/requests`, body, key)).status).toBe(201);
    const again = await keyed('handler', `/v1/cases/${id}/requests`, body, key);
    expect(again.status).toBe(201);
    expect(again.json.case.pendingRequest).toMatchObject({ kind: 'extension', hours: 8 });
    // Not a second request (that would be a 409: one pending per case) …
    expect((await call('handler', 'POST', `/v1/cases/${id}/requests`, body)).status).toBe(409);
    // … and the same key on another path is another key: the return happens (it withdraws the request).
    const returned = await keyed('handler', `/v1/cases/${id}/return`, { reason: '不属本大队管辖' }, key);
    expect(returned.status).toBe(200);
    expect(returned.json.case.status).toBe('filed');
  });
});

describe('a photo still being checked', () => {
  it('answers a completion with 409 PHOTO_PENDING and Retry-After (the phone sends it again), not a 400', async () => {
    const { id } = await filedCase();
    expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: BRIGADE, assigneeId: tokens.handler!.id })).status).toBe(200);
    // A grant whose file never arrived: the photo stays pending.
    const grant = await call('handler', 'POST', '/v1/uploads', { kind: 'after', contentType: 'image/jpeg', size: 20_000 });
    expect(grant.status).toBe(201);
    const key = `field-${crypto.randomUUID()}`;
    const pending = await keyed('handler', `/v1/cases/${id}/complete`, { photoKeys: [grant.json.photoKey] }, key);
    expect(pending.status).toBe(409);
    expect(pending.json.error.code).toBe('PHOTO_PENDING');
    expect(pending.json.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(Number(pending.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call('agent', 'GET', `/v1/cases/${id}`)).json.case.status).toBe('dispatched');
  });
});
