import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcj02ToWgs84 } from '#shared/domain/geo/coordinates';
import { loginAs } from '../support/auth.ts';
import sharp from 'sharp';
import { hasGpsTag, png, uploadPhoto } from '../support/photos.ts';
import { recompressed, scene } from '../support/scenes.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const people: Record<string, { token: string; id: string }> = {};
const call = callAs(() => platform, people);

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const [who, phone, purpose] of [
    ['citizen', '13912389001', 'register'],
    ['neighbour', '13912389002', 'register'],
    ['handler', '+8613800000007', 'login'],
    ['agent', '+8613800000002', 'login'],
  ] as const) {
    const session = await loginAs(platform.url, phone, purpose);
    people[who] = { token: session.accessToken, id: session.user.id };
  }
});
afterAll(async () => platform?.stop());

describe('POST /v1/uploads: what the app knew when the photo was taken', () => {
  it('stores capturedAt in UTC and capturedLocation in WGS84 with the photo', async () => {
    const gcj = { lat: 26.8815, lng: 112.6185 };
    const upload = await uploadPhoto(platform, people.handler!.token, 'after', await png(), 'image/png', undefined, {
      capturedAt: '2026-05-12T11:44:00+08:00',
      capturedLocation: { ...gcj, coordSystem: 'GCJ02' },
    });
    expect(upload.photo.capturedAt).toBe('2026-05-12T03:44:00.000Z');
    const wgs = gcj02ToWgs84(gcj.lat, gcj.lng);
    expect(upload.photo.capturedLocation?.lat).toBeCloseTo(wgs.lat, 6);
    expect(upload.photo.capturedLocation?.lng).toBeCloseTo(wgs.lng, 6);
  });

  it('refuses a capturedAt that is not an ISO time and a capturedLocation off the globe or with extra keys', async () => {
    const ask = (extra: object) => call('citizen', 'POST', '/v1/uploads', { kind: 'before', contentType: 'image/jpeg', size: 1000, ...extra });
    const badTime = await ask({ capturedAt: '2026/05/12 11:44' });
    expect(badTime.status).toBe(400);
    expect(badTime.json.error.details[0].path).toBe('capturedAt');
    const offGlobe = await ask({ capturedLocation: { lat: 95, lng: 112.6 } });
    expect(offGlobe.status).toBe(400);
    expect(offGlobe.json.error.details[0].path).toBe('capturedLocation.lat');
    const extraKey = await ask({ capturedLocation: { lat: 26.8, lng: 112.6, accuracy: 5 } });
    expect(extraKey.status).toBe(400);
  });
});

const PLACE = { lat: 26.879, lng: 112.613 };
/** A Shanghai wall-clock EXIF time (no offset written), `minutes` from now. */
const shanghaiExif = (minutes: number) => new Date(Date.now() + minutes * 60_000 + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');

/** A case reported with `before`, filed, and dispatched to the street brigade's handler. */
async function dispatchedCase(reporter: string, before: Buffer) {
  const photo = await uploadPhoto(platform, people[reporter]!.token, 'before', before);
  const reported = await call(reporter, 'POST', '/v1/cases', { description: '人行道上堆放建筑垃圾', location: PLACE, photoKeys: [photo.photoKey] });
  expect(reported.status).toBe(201);
  const id: string = reported.json.case.id;
  const filed = await call('agent', 'POST', `/v1/cases/${id}/file`, { categoryCode: 'E0101' });
  expect(filed.status).toBe(200);
  expect((await call('agent', 'POST', `/v1/cases/${id}/dispatch`, { departmentId: 'yanfeng-street-brigade', assigneeId: people.handler!.id })).status).toBe(200);
  return { id, caseNumber: filed.json.case.caseNumber as string };
}

async function complete(id: string, afters: Buffer[]) {
  const keys = [];
  for (const bytes of afters) keys.push((await uploadPhoto(platform, people.handler!.token, 'after', bytes)).photoKey);
  const completed = await call('handler', 'POST', `/v1/cases/${id}/complete`, { photoKeys: keys });
  expect(completed.status).toBe(200);
  return keys;
}

describe('photoChecks on the staff case view', () => {
  it("names case A's number when case B is completed with A's before photo (recompressed and resized), and the reporter sees nothing of it", async () => {
    const aPhoto = await scene(501, { takenAt: shanghaiExif(-30), gps: PLACE });
    const a = await dispatchedCase('neighbour', aPhoto);
    const b = await dispatchedCase('citizen', await scene(502, { takenAt: shanghaiExif(-20), gps: PLACE }));
    const reusedBytes = await recompressed(aPhoto, 480, 50);
    const [afterKey] = await complete(b.id, [reusedBytes]);

    const staff = await call('agent', 'GET', `/v1/cases/${b.id}`);
    expect(staff.status).toBe(200);
    const afterCheck = staff.json.photoChecks.find((p: { kind: string }) => p.kind === 'after');
    // The recompressed copy lost its EXIF: no time.
    expect(afterCheck).toMatchObject({ photoKey: afterKey, flags: ['reused', 'no-time'], reusedFrom: { caseId: a.id, caseNumber: a.caseNumber, kind: 'before' } });
    expect(afterCheck.reusedFrom.hammingDistance).toBeLessThanOrEqual(6);
    // The before photos of the two cases are different pictures, and before photos are never flagged as reused.
    expect(staff.json.photoChecks.find((p: { kind: string }) => p.kind === 'before')).toMatchObject({ takenAtSource: 'exif', distanceMetres: expect.any(Number), flags: [] });

    const reporter = await call('citizen', 'GET', `/v1/cases/${b.id}`);
    expect(reporter.status).toBe(200);
    expect(reporter.json.photoChecks).toBeUndefined();
    expect(JSON.stringify(reporter.json)).not.toContain('reused');

    // The GPS kept as evidence is gone from every served copy.
    for (const ref of [...staff.json.photos.before, ...staff.json.photos.after]) {
      for (const url of [ref.url, ref.thumbnailUrl]) {
        const served = await sharp(Buffer.from(await (await fetch(url)).arrayBuffer())).metadata();
        expect(hasGpsTag(served.exif)).toBe(false);
      }
    }
  });

  it('flags an after photo taken 1 km away (far-from-case) and one whose EXIF time is before the dispatch (taken-before-dispatch)', async () => {
    const c = await dispatchedCase('citizen', await scene(601));
    const [far, early, plain] = await complete(c.id, [
      await scene(602, { takenAt: shanghaiExif(1), gps: { lat: PLACE.lat + 0.009, lng: PLACE.lng } }),
      await scene(603, { takenAt: shanghaiExif(-120), gps: PLACE }),
      await scene(604),
    ]);
    const checks = (await call('agent', 'GET', `/v1/cases/${c.id}`)).json.photoChecks as Array<{ photoKey: string; flags: string[]; distanceMetres?: number; takenAtSource?: string }>;
    const of = (key: string | undefined) => checks.find((p) => p.photoKey === key)!;
    expect(of(far).flags).toEqual(['far-from-case']);
    expect(of(far).distanceMetres).toBeGreaterThan(950);
    expect(of(far).distanceMetres).toBeLessThan(1050);
    expect(of(early)).toMatchObject({ takenAtSource: 'exif', distanceMetres: 0, flags: ['taken-before-dispatch'] });
    expect(of(plain).flags).toEqual(['no-time']);
    // The citizen's before photo carried no EXIF either.
    expect(checks.find((p) => p.photoKey !== far && p.photoKey !== early && p.photoKey !== plain)!.flags).toEqual(['no-time']);
  });
});
