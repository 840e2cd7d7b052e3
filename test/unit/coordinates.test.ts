import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gcj02ToBd09, gcj02ToWgs84, toWgs84, wgs84ToBd09, wgs84ToGcj02 } from '#shared/domain/geo/coordinates';

/** Great-circle distance in metres (haversine, mean Earth radius). */
function metresBetween(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

const HENGYANG = { lat: 26.879, lng: 112.613 };
const chinaPoint = fc.record({
  lat: fc.double({ min: 18, max: 53, noNaN: true }),
  lng: fc.double({ min: 74, max: 134, noNaN: true }),
});

describe('GCJ-02 ↔ WGS84', () => {
  it('matches the published reference vector (wandergis/coordtransform README: Beijing 39.915, 116.404)', () => {
    const gcj = wgs84ToGcj02(39.915, 116.404);
    expect(gcj.lat).toBeCloseTo(39.91640428150164, 9);
    expect(gcj.lng).toBeCloseTo(116.41024449916938, 9);
  });

  it('moves Tiananmen (WGS84 39.9087, 116.3975) to about GCJ-02 39.91011, 116.40374', () => {
    const gcj = wgs84ToGcj02(39.9087, 116.3975);
    expect(Math.abs(gcj.lat - 39.91011)).toBeLessThan(1e-4);
    expect(Math.abs(gcj.lng - 116.40374)).toBeLessThan(1e-4);
  });

  it('round-trips WGS84 → GCJ-02 → WGS84 within 1e-6° anywhere in China', () => {
    fc.assert(
      fc.property(chinaPoint, (wgs) => {
        const gcj = wgs84ToGcj02(wgs.lat, wgs.lng);
        const back = gcj02ToWgs84(gcj.lat, gcj.lng);
        expect(Math.abs(back.lat - wgs.lat)).toBeLessThan(1e-6);
        expect(Math.abs(back.lng - wgs.lng)).toBeLessThan(1e-6);
      }),
      { numRuns: 300 },
    );
  });

  it('inverts more precisely than the one-step inverse (sub-centimetre, not metres)', () => {
    const gcj = wgs84ToGcj02(HENGYANG.lat, HENGYANG.lng);
    const oneStepOffset = wgs84ToGcj02(gcj.lat, gcj.lng);
    const oneStep = { lat: 2 * gcj.lat - oneStepOffset.lat, lng: 2 * gcj.lng - oneStepOffset.lng };
    expect(metresBetween(gcj02ToWgs84(gcj.lat, gcj.lng), HENGYANG)).toBeLessThan(0.01);
    expect(metresBetween(oneStep, HENGYANG)).toBeGreaterThan(0.1);
  });

  it('offsets Hengyang by between 100 m and 800 m', () => {
    const offset = metresBetween(HENGYANG, wgs84ToGcj02(HENGYANG.lat, HENGYANG.lng));
    expect(offset).toBeGreaterThan(100);
    expect(offset).toBeLessThan(800);
  });

  it.each([
    ['London', 51.5007, -0.1246],
    ['Tokyo', 35.6586, 139.7454],
    ['Singapore', 0.5, 103.8],
    ['Moscow', 55.9, 37.6],
  ])('leaves %s (outside China) unchanged both ways', (_place, lat, lng) => {
    expect(wgs84ToGcj02(lat, lng)).toEqual({ lat, lng });
    expect(gcj02ToWgs84(lat, lng)).toEqual({ lat, lng });
  });
});

describe('toWgs84', () => {
  it('converts a GCJ02 location to the WGS84 point it came from', () => {
    const gcj = wgs84ToGcj02(HENGYANG.lat, HENGYANG.lng);
    const wgs = toWgs84({ ...gcj, coordSystem: 'GCJ02' });
    expect(wgs.lat).toBeCloseTo(HENGYANG.lat, 9);
    expect(wgs.lng).toBeCloseTo(HENGYANG.lng, 9);
  });

  it('passes WGS84 and unlabelled locations through and drops coordSystem', () => {
    expect(toWgs84({ ...HENGYANG, coordSystem: 'WGS84' })).toEqual(HENGYANG);
    expect(toWgs84(HENGYANG)).toEqual(HENGYANG);
  });
});

describe('GCJ-02 → BD-09 (百度地图 navigation)', () => {
  // The published reference vectors (wandergis/coordtransform's test: the point 39.915, 116.404).
  it('matches the published GCJ-02 → BD-09 vector within 1 m', () => {
    const bd = gcj02ToBd09(39.915, 116.404);
    expect(metresBetween(bd, { lat: 39.92133699351021, lng: 116.41036949371029 })).toBeLessThan(1);
  });

  it('is the inverse of the published BD-09 → GCJ-02 vector within 1 m', () => {
    // bd09togcj02(116.404, 39.915) = (116.39762729119315, 39.90865673957631): forward again lands on the BD-09 point.
    const bd = gcj02ToBd09(39.90865673957631, 116.39762729119315);
    expect(metresBetween(bd, { lat: 39.915, lng: 116.404 })).toBeLessThan(1);
  });

  it('takes a GPS position through GCJ-02 (WGS84 → BD-09 is the two published transforms) within 1 m', () => {
    const bd = wgs84ToBd09(39.915, 116.404);
    const expected = gcj02ToBd09(39.91640428150164, 116.41024449916938);
    expect(metresBetween(bd, expected)).toBeLessThan(1);
  });

  it('shifts Hengyang by between 500 m and 1.5 km from WGS84 (GCJ-02 and Baidu\'s own shift together)', () => {
    const shift = metresBetween(HENGYANG, wgs84ToBd09(HENGYANG.lat, HENGYANG.lng));
    expect(shift).toBeGreaterThan(500);
    expect(shift).toBeLessThan(1500);
  });

  it('leaves a point outside China unchanged', () => {
    expect(gcj02ToBd09(51.5007, -0.1246)).toEqual({ lat: 51.5007, lng: -0.1246 });
    expect(wgs84ToBd09(35.6586, 139.7454)).toEqual({ lat: 35.6586, lng: 139.7454 });
  });
});
