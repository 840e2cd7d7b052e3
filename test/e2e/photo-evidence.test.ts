import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcj02ToWgs84 } from '#shared/domain/geo/coordinates';
import { loginAs } from '../support/auth.ts';
import { png, uploadPhoto } from '../support/photos.ts';
import { callAs, startTestPlatform } from '../support/platform.ts';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
const people: Record<string, { token: string; id: string }> = {};
const call = callAs(() => platform, people);

beforeAll(async () => {
  platform = await startTestPlatform();
  for (const [who, phone, purpose] of [
    ['citizen', '13912389001', 'register'],
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
