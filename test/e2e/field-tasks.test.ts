import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../support/auth.ts';
import { jpegWithGps, uploadPhoto } from '../support/photos.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

/**
 * What the field app (城管通) relies on, over HTTP on the local platform: 我的任务 for handlers and
 * supervisors (`GET /v1/me/tasks`, paged, through the task index).
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
