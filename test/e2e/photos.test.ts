import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';
import { loginAs } from '../support/auth.ts';
import { hasGpsTag, jpegWithGps, png, uploadPhoto } from '../support/photos.ts';
import { startTestPlatform } from '../support/platform.ts';
import { photoModel } from '#shared/data/entities/photo';
import { get } from '#shared/data/operations';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let citizen: { token: string; id: string };
let other: { token: string; id: string };
let handler: { token: string; id: string };
let agent: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  const c = await loginAs(platform.url, '13912388001', 'register');
  citizen = { token: c.accessToken, id: c.user.id };
  const o = await loginAs(platform.url, '13912388002', 'register');
  other = { token: o.accessToken, id: o.user.id };
  const h = await loginAs(platform.url, '+8613800000007');
  handler = { token: h.accessToken, id: h.user.id };
  agent = (await loginAs(platform.url, '+8613800000002')).accessToken;
});
afterAll(async () => platform?.stop());

const call = (token: string, method: string, path: string, body?: unknown) =>
  platform.api(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
const report = (token: string, photoKeys: string[]) =>
  call(token, 'POST', '/v1/cases', { description: '人行道上堆放建筑垃圾', location: { lat: 26.879, lng: 112.613 }, photoKeys });

describe('before and after photos through presigned POST uploads', () => {
  it('strips GPS from the served before photo and shows before/after side by side with working URLs', async () => {
    const original = await jpegWithGps();
    expect(hasGpsTag((await sharp(original).metadata()).exif)).toBe(true);
    const before = await uploadPhoto(platform, citizen.token, 'before', original);
    expect(before.photo.status).toBe('ready');
    // The key names nobody (it shows up in signed URLs and citizens' timelines); the record holds the owner.
    expect(before.photoKey).toMatch(/^uploads\/before\/[0-9a-f-]{36}\.jpg$/);
    expect(before.photoKey).not.toContain(citizen.id);

    const reported = await report(citizen.token, [before.photoKey]);
    expect(reported.status).toBe(201);
    const id = reported.json.case.id;
    await call(agent, 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0101' });
    await call(agent, 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: handler.id });
    const after = await uploadPhoto(platform, handler.token, 'after', await png(), 'image/png');
    const completed = await call(handler.token, 'POST', `/v1/cases/${id}/complete`, { photoKeys: [after.photoKey] });
    expect(completed.status).toBe(200);

    const detail = await call(citizen.token, 'GET', `/v1/cases/${id}`);
    expect(detail.json.photos.before).toHaveLength(1);
    expect(detail.json.photos.after).toHaveLength(1);
    const served = Buffer.from(await (await fetch(detail.json.photos.before[0].url)).arrayBuffer());
    const meta = await sharp(served).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBe(64);
    expect(hasGpsTag(meta.exif)).toBe(false);
    expect(meta.exif).toBeUndefined();
    const thumb = await fetch(detail.json.photos.before[0].thumbnailUrl);
    expect(thumb.status).toBe(200);
    const afterServed = await fetch(detail.json.photos.after[0].url);
    expect((await sharp(Buffer.from(await afterServed.arrayBuffer())).metadata()).format).toBe('png');
  });

  it('bounds the POST policy to the exact key, the declared type and size', async () => {
    const upload = await uploadPhoto(platform, citizen.token, 'before', await jpegWithGps());
    const conditions = JSON.stringify(upload.policy.conditions);
    expect(conditions).toContain(`{"key":"${upload.photoKey}"}`);
    expect(conditions).toContain('["eq","$Content-Type","image/jpeg"]');
    expect(conditions).toMatch(/\["content-length-range",1,\d+\]/);
    expect(Date.parse(String(upload.policy.expiration)) - Date.now()).toBeLessThanOrEqual(300_000);
  });

  it('refuses a 50 MB "photo" at request time', async () => {
    const response = await call(citizen.token, 'POST', '/v1/uploads', { kind: 'before', contentType: 'image/jpeg', size: 50 * 1024 * 1024 });
    expect(response.status).toBe(400);
    expect(response.json.error.details[0].path).toBe('size');
  });

  const refusedAttach = async (photoKey: string, expected: RegExp) => {
    const response = await report(citizen.token, [photoKey]);
    expect(response.status).toBe(400);
    expect(response.json.error.details[0]).toMatchObject({ path: 'photoKeys.0', message: expect.stringMatching(expected) });
    const mine = await call(citizen.token, 'GET', '/v1/me/cases?limit=100');
    expect(mine.json.items.every((c: { description: string; id: string }) => c.id !== undefined)).toBe(true);
    return mine.json.items.length;
  };

  it('refuses a PNG declared as JPEG, a text file named .jpg and a file larger than declared; nothing is attached', async () => {
    const before = (await call(citizen.token, 'GET', '/v1/me/cases?limit=100')).json.items.length;
    const pngAsJpeg = await uploadPhoto(platform, citizen.token, 'before', await png(), 'image/jpeg');
    expect(pngAsJpeg.photo).toMatchObject({ status: 'rejected', reason: 'The file is a PNG, not image/jpeg as declared' });
    const text = await uploadPhoto(platform, citizen.token, 'before', Buffer.from('not really a photo, just text'), 'image/jpeg');
    expect(text.photo).toMatchObject({ status: 'rejected', reason: 'The file is not a JPEG, PNG or WebP image' });
    const big = await jpegWithGps();
    const oversized = await uploadPhoto(platform, citizen.token, 'before', big, 'image/jpeg', big.length - 10);
    expect(oversized.photo.status).toBe('rejected');
    expect(oversized.photo.reason).toMatch(/above/);
    for (const key of [pngAsJpeg.photoKey, text.photoKey, oversized.photoKey]) await refusedAttach(key, /refused/);
    expect((await call(citizen.token, 'GET', '/v1/me/cases?limit=100')).json.items.length).toBe(before);
  });

  it("refuses another user's photo, a key never uploaded, and an after photo used as before", async () => {
    const theirs = await uploadPhoto(platform, other.token, 'before', await jpegWithGps());
    await refusedAttach(theirs.photoKey, /No such upload of yours/);
    await refusedAttach(`uploads/${citizen.id}/before/00000000-0000-0000-0000-000000000000.jpg`, /No such upload of yours/);
    const afterPhoto = await uploadPhoto(platform, citizen.token, 'after', await jpegWithGps());
    await refusedAttach(afterPhoto.photoKey, /after photo; before photos are needed/);
  });

  it('refuses a photo already attached to another case', async () => {
    const photo = await uploadPhoto(platform, citizen.token, 'before', await jpegWithGps());
    expect((await report(citizen.token, [photo.photoKey])).status).toBe(201);
    await refusedAttach(photo.photoKey, /already attached/);
    const db = { client: createDocumentClient({ region: 'us-east-1', endpoint: platform.dynamoEndpoint }), name: platform.tableName };
    expect((await get(db, photoModel, { photoKey: photo.photoKey }))?.expiresAt).toBeUndefined();
  });
});
