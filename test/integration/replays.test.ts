import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '#shared/data/case-store';
import { legacyIdempotencyModel } from '#shared/data/entities/cases';
import { photoModel } from '#shared/data/entities/photo';
import { createIdentityStore } from '#shared/data/identity-store';
import { send, write } from '#shared/data/operations';
import { createPhotoStore } from '#shared/data/photo-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import type { CaseDeps } from '#shared/domain/cases/deps';
import { hashBody } from '#shared/domain/cases/idempotency';
import type { Case } from '#shared/domain/cases/model';
import { reportCase, transition, type TransitionInput } from '#shared/domain/cases/use-cases';
import { ConflictError, PhotoPendingError, ValidationError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import type { Role } from '#shared/domain/roles';
import { loadDemoCity } from '#infra/local/seed';
import { readyPhoto } from '../support/photos.ts';
import { createTestTable } from '../support/table.ts';

/**
 * Replays from phones that were offline: every lifecycle step honours an Idempotency-Key scoped to the
 * caller, the method and the path; only a success is remembered; a replay after the success answers
 * the case as it is now and acts no more; the same key with another body is 409; a refused attempt may
 * be retried with the same key; concurrent duplicates make one transition.
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
let deps: CaseDeps;
const BRIGADE = 'yanfeng-street-brigade';
const person = (role: Role, departmentId?: string): Principal => ({ userId: `${role}-${randomUUID().slice(0, 8)}`, roles: [role], departmentId, displayName: `${role} user` });
const agent = person('agent', 'city-bureau');
const leader = person('leader', 'city-bureau');
const handler = person('handler', BRIGADE);
const supervisor = person('supervisor', 'city-bureau');

beforeAll(async () => {
  table = await createTestTable();
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  const users = createIdentityStore(table.db);
  await users.createUser({ id: handler.userId, phone: '+8613700031234', displayName: handler.displayName, roles: ['handler'], departmentId: BRIGADE, status: 'active', createdAt: new Date().toISOString() });
  await users.createUser({ id: supervisor.userId, phone: '+8613700035678', displayName: '监督员', roles: ['supervisor'], departmentId: 'city-bureau', status: 'active', createdAt: new Date().toISOString() });
  deps = {
    store: createCaseStore(table.db),
    reference: createReferenceCache(reference),
    users,
    photos: { store: createPhotoStore(table.db) },
    now: () => new Date(),
    newId: () => randomUUID(),
  };
});
afterAll(async () => table.drop());

/** A case dispatched to the handler (stored as a fixture). */
async function dispatched(): Promise<Case> {
  const at = new Date().toISOString();
  const id = randomUUID();
  const c: Case = {
    id,
    status: 'dispatched',
    channel: 'app',
    description: '路灯不亮',
    location: { lat: 26.879, lng: 112.613 },
    gridId: 'yanfeng-dangjiacun',
    categoryCode: 'E0503',
    caseNumber: '2026-000001',
    reporterId: 'citizen-1',
    dispatchPath: ['city-bureau', 'yanfeng-district-bureau', BRIGADE],
    assignment: { departmentId: BRIGADE, departmentName: '雁峰街道城管大队', assigneeId: handler.userId, assigneeName: 'h' },
    firstDispatchedAt: at,
    dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    escalationLevel: 0,
    reworkCount: 0,
    beforePhotoKeys: [],
    afterPhotoKeys: [],
    createdAt: at,
    updatedAt: at,
    version: 3,
    eventCount: 1,
  };
  await deps.store.createCase({ case: c, event: { caseId: id, seq: 1, at, action: 'report', toStatus: 'reported', actor: { id: 'x', role: 'citizen', displayName: 'x' }, internal: false }, counters: [] });
  return c;
}

/** A step with an Idempotency-Key, scoped as the route scopes it (`POST /v1/cases/{id}/{segment}`). */
const keyed = (who: Principal, c: Case, segment: string, input: TransitionInput, key: string) => transition(deps, who, c.id, input, { key, scope: `POST /v1/cases/${c.id}/${segment}` });
const timelineOf = async (c: Case) => (await deps.store.getCaseWithTimeline(c.id))!.timeline.map((e) => e.action);
const newKey = () => `k-${randomUUID()}`;
/** An upload whose check has not finished (the processor has not seen the file yet). */
async function pendingPhoto(owner: Principal, kind: 'before' | 'after') {
  const photoKey = `uploads/${kind}/${randomUUID()}.jpg`;
  await send(table.db, write.put(table.db, photoModel, { photoKey, ownerId: owner.userId, kind, contentType: 'image/jpeg', declaredSize: 1000, status: 'pending', createdAt: new Date().toISOString() }, { create: true }));
  return photoKey;
}
/** The processor's verdict on it: ready. */
const checked = (photoKey: string) => send(table.db, write.update(table.db, photoModel, { photoKey }, { set: { status: 'ready', width: 10, height: 10, size: 1000 } }));

describe('a completion replayed', () => {
  it('after its success answers 200 with the case as it is now, and completes nothing again', async () => {
    const c = await dispatched();
    const key = newKey();
    const input = { action: 'complete' as const, photoKeys: [await readyPhoto(table.db, handler.userId, 'after')], note: '已修复' };
    const first = await keyed(handler, c, 'complete', input, key);
    expect(first.status).toBe('handled');
    const again = await keyed(handler, c, 'complete', input, key);
    expect(again).toMatchObject({ id: c.id, status: 'handled', version: first.version });
    expect(await timelineOf(c)).toEqual(['report', 'complete']);
    // The state now, not the first answer: a later step by someone else shows.
    await transition(deps, agent, c.id, { action: 'verify', approved: true });
    expect((await keyed(handler, c, 'complete', input, key)).status).toBe('closed');
  });

  it('with another body under the same key is 409 CONFLICT', async () => {
    const c = await dispatched();
    const key = newKey();
    const photo = await readyPhoto(table.db, handler.userId, 'after');
    await keyed(handler, c, 'complete', { action: 'complete', photoKeys: [photo] }, key);
    const other = keyed(handler, c, 'complete', { action: 'complete', photoKeys: [photo], note: '另一个说明' }, key);
    await expect(other).rejects.toThrow(ConflictError);
    await expect(other).rejects.toMatchObject({ code: 'CONFLICT', messageId: 'idempotency.other-body' });
  });

  it('after a photo still being checked (409 PHOTO_PENDING) is not remembered: the same key and body succeed once it is ready', async () => {
    const c = await dispatched();
    const key = newKey();
    const photoKey = await pendingPhoto(handler, 'after');
    const input = { action: 'complete' as const, photoKeys: [photoKey] };
    await expect(keyed(handler, c, 'complete', input, key)).rejects.toMatchObject({ name: 'PhotoPendingError', code: 'PHOTO_PENDING', retryAfterSeconds: expect.any(Number) });
    expect((await deps.store.getCase(c.id))!.status).toBe('dispatched');
    await checked(photoKey);
    expect((await keyed(handler, c, 'complete', input, key)).status).toBe('handled');
    expect(await timelineOf(c)).toEqual(['report', 'complete']);
  });

  it('after a refusal is not remembered: the same key and body succeed once the cause is gone', async () => {
    const c = await dispatched();
    await transition(deps, handler, c.id, { action: 'request', kind: 'suspension', reason: '待财政审批' });
    const key = newKey();
    const extension = { action: 'request' as const, kind: 'extension' as const, reason: '需要采购配件', hours: 8 };
    // One pending request per case: refused (409), not remembered.
    await expect(keyed(handler, c, 'requests', extension, key)).rejects.toMatchObject({ name: 'ConflictError' });
    await transition(deps, leader, c.id, { action: 'decide', approved: false, note: '不同意挂账' });
    expect((await keyed(handler, c, 'requests', extension, key)).pendingRequest).toMatchObject({ kind: 'extension', hours: 8 });
    expect((await keyed(handler, c, 'requests', extension, key)).pendingRequest).toMatchObject({ kind: 'extension', hours: 8 });
    expect(await timelineOf(c)).toEqual(['report', 'request', 'decline', 'request']);
  });

  it('ten at once make one transition, and every one of them answers the case (none a 409)', async () => {
    const c = await dispatched();
    const key = newKey();
    const input = { action: 'complete' as const, photoKeys: [await readyPhoto(table.db, handler.userId, 'after')] };
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => keyed(handler, c, 'complete', input, key)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.status : `${(r.reason as Error).name}: ${(r.reason as Error).message}`))).toEqual(Array(10).fill('handled'));
    expect(await timelineOf(c)).toEqual(['report', 'complete']);
    expect((await deps.store.getCase(c.id))!.version).toBe(c.version + 1);
  });

  it('without a key stays as it was: a second completion is refused (409 INVALID_TRANSITION)', async () => {
    const c = await dispatched();
    const input = { action: 'complete' as const, photoKeys: [await readyPhoto(table.db, handler.userId, 'after')] };
    await transition(deps, handler, c.id, input);
    await expect(transition(deps, handler, c.id, input)).rejects.toMatchObject({ name: 'InvalidTransitionError' });
  });
});

describe('the scope of a key', () => {
  it('is the caller, the method and the path: the same key on another case, or by another person, acts', async () => {
    const [a, b] = [await dispatched(), await dispatched()];
    const key = newKey();
    expect((await keyed(handler, a, 'complete', { action: 'complete', photoKeys: [await readyPhoto(table.db, handler.userId, 'after')] }, key)).status).toBe('handled');
    // Another path (another case): not a replay of the first.
    expect((await keyed(handler, b, 'requests', { action: 'request', kind: 'extension', reason: '需要采购配件', hours: 8 }, key)).pendingRequest).toMatchObject({ kind: 'extension' });
    // Another person on the same path with the same key and body: their own step (督办 twice).
    const supervise = { action: 'supervise' as const, note: '请尽快处置' };
    expect((await keyed(agent, b, 'supervise', supervise, key)).supervisionCount).toBe(1);
    expect((await keyed(leader, b, 'supervise', supervise, key)).supervisionCount).toBe(2);
    expect((await keyed(leader, b, 'supervise', supervise, key)).supervisionCount).toBe(2);
  });

  it('keeps a report\'s key from before keys were scoped (per caller only) for the day it lives', async () => {
    const citizen = person('citizen');
    const body = { description: '井盖缺失很危险', location: { lat: 26.879, lng: 112.613 } };
    const first = await reportCase(deps, citizen, body);
    const key = newKey();
    await send(table.db, write.put(table.db, legacyIdempotencyModel, { callerId: citizen.userId, key, bodyHash: hashBody(body), caseId: first.id, expiresAt: Math.floor(Date.now() / 1000) + 3600 }, { create: true }));
    expect((await reportCase(deps, citizen, body, key)).id).toBe(first.id);
    await expect(reportCase(deps, citizen, { ...body, description: '另一个问题' }, key)).rejects.toThrow(ConflictError);
  });
});

describe('a photo still being checked after its upload', () => {
  it('is 409 PHOTO_PENDING (not a 400) wherever a case step takes photos: a report, a completion, a check\'s answer', async () => {
    const citizen = person('citizen');
    const report = reportCase(deps, citizen, { description: '井盖缺失很危险', location: { lat: 26.879, lng: 112.613 }, photoKeys: [await pendingPhoto(citizen, 'before')] });
    await expect(report).rejects.toBeInstanceOf(PhotoPendingError);
    expect((await deps.store.listByReporter(citizen.userId, { limit: 10 })).items).toEqual([]);

    const c = await dispatched();
    await expect(transition(deps, handler, c.id, { action: 'complete', photoKeys: [await pendingPhoto(handler, 'after')] })).rejects.toMatchObject({ code: 'PHOTO_PENDING', retryAfterSeconds: 2, messageId: 'photo.pending' });

    await transition(deps, handler, c.id, { action: 'complete', photoKeys: [await readyPhoto(table.db, handler.userId, 'after')] });
    await transition(deps, agent, c.id, { action: 'field-check', kind: 'check-result', supervisorId: supervisor.userId });
    await expect(transition(deps, supervisor, c.id, { action: 'field-check-answer', confirmed: true, photoKeys: [await pendingPhoto(supervisor, 'after')] })).rejects.toBeInstanceOf(PhotoPendingError);
  });

  it('is still a 400 when something else is wrong with the photos (the pending one among them)', async () => {
    const c = await dispatched();
    const someoneElses = await readyPhoto(table.db, 'somebody-else', 'after');
    const refused = transition(deps, handler, c.id, { action: 'complete', photoKeys: [await pendingPhoto(handler, 'after'), someoneElses] });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ details: expect.arrayContaining([expect.objectContaining({ path: 'photoKeys.1' })]) });
  });
});
