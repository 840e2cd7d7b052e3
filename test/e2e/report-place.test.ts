import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '#shared/domain/geo/coordinates';
import { loginAs } from '../support/auth.ts';
import { startTestPlatform } from '../support/platform.ts';

/**
 * 定位方式: a citizen not at the spot (or without a position) gives the place by hand — a point on the
 * map (GCJ-02 on Gaode tiles) or a community's centre with an address. Staff see how; the reporter's own
 * view does not carry it.
 */
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let agent: string;
let citizen: string;
beforeAll(async () => {
  platform = await startTestPlatform();
  agent = (await loginAs(platform.url, '+8613800000002')).accessToken;
  citizen = (await loginAs(platform.url, '13912345071', 'register')).accessToken;
});
afterAll(async () => platform?.stop());

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const report = (body: Record<string, unknown>) =>
  platform.api('/v1/cases', { method: 'POST', headers: { ...auth(citizen), 'content-type': 'application/json' }, body: JSON.stringify({ description: '路边堆放建筑垃圾', ...body }) });

describe('the place of a report, chosen by hand', () => {
  it('keeps the source of a map pick (GCJ-02 converted) and of a community chosen by name; staff see it, the reporter does not', async () => {
    const gcj = wgs84ToGcj02(26.879, 112.613);
    const picked = await report({ location: { ...gcj, coordSystem: 'GCJ02' }, locationSource: 'map' });
    expect(picked.status).toBe(201);
    expect(picked.json.case.locationSource).toBeUndefined();
    const staffView = await platform.api(`/v1/cases/${picked.json.case.id}`, { headers: auth(agent) });
    expect(staffView.json.case).toMatchObject({ locationSource: 'map', gridId: 'yanfeng-dangjiacun' });
    expect(staffView.json.case.location.lat).toBeCloseTo(26.879, 4);

    const named = await report({ location: { lat: 26.8795, lng: 112.6125 }, locationSource: 'address', address: '当家村社区东门对面' });
    const namedView = await platform.api(`/v1/cases/${named.json.case.id}`, { headers: auth(agent) });
    expect(namedView.json.case).toMatchObject({ locationSource: 'address', address: '当家村社区东门对面' });
    expect((await platform.api(`/v1/cases/${named.json.case.id}`, { headers: auth(citizen) })).json.case.locationSource).toBeUndefined();
  });

  it('defaults to gps and refuses an unknown source', async () => {
    const plain = await report({ location: { lat: 26.879, lng: 112.613 } });
    expect((await platform.api(`/v1/cases/${plain.json.case.id}`, { headers: auth(agent) })).json.case.locationSource).toBe('gps');
    const bad = await report({ location: { lat: 26.879, lng: 112.613 }, locationSource: 'wifi' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { path: string }) => d.path)).toContain('locationSource');
  });
});
