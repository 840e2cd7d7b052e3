import { describe, expect, it } from 'vitest';
import { ageText, caseColourKey, displayPoint, distanceText, minutesText, tilesAreGcj02 } from '../../console/src/citymap/display.ts';
import { wgs84ToGcj02 } from '#shared/domain/geo/coordinates';

/** The live map's words and colours (console/src/citymap/display.ts): pure functions, no browser. */
describe('the live map (实时地图) display helpers', () => {
  const now = Date.parse('2026-12-08T02:00:00.000Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it('says how old a last position is: 刚刚, minutes, hours, days', () => {
    expect(ageText(ago(20_000), now)).toBe('刚刚');
    expect(ageText(ago(60_000), now)).toBe('1 分钟前');
    expect(ageText(ago(3 * 60_000 + 59_000), now)).toBe('3 分钟前');
    expect(ageText(ago(59 * 60_000), now)).toBe('59 分钟前');
    expect(ageText(ago(2 * 3_600_000 + 5 * 60_000), now)).toBe('2 小时前');
    expect(ageText(ago(26 * 3_600_000), now)).toBe('1 天前');
    // A phone clock a little ahead is not "in the future".
    expect(ageText(new Date(now + 30_000).toISOString(), now)).toBe('刚刚');
  });

  it('colours a case red when overdue whatever its status, else by status', () => {
    expect(caseColourKey({ status: 'dispatched', overdue: true })).toBe('overdue');
    expect(caseColourKey({ status: 'suspended', overdue: true })).toBe('overdue');
    expect(caseColourKey({ status: 'reported', overdue: false })).toBe('reported');
    expect(caseColourKey({ status: 'handled', overdue: false })).toBe('handled');
  });

  it('shifts points to GCJ-02 only on Gaode/Tencent tiles (stored points are WGS-84)', () => {
    expect(tilesAreGcj02('https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8')).toBe(true);
    expect(tilesAreGcj02('https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={y}')).toBe(true);
    expect(tilesAreGcj02('https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=x')).toBe(false);
    expect(tilesAreGcj02('')).toBe(false);
    expect(displayPoint(26.879, 112.613, false)).toEqual([26.879, 112.613]);
    const shifted = wgs84ToGcj02(26.879, 112.613);
    expect(displayPoint(26.879, 112.613, true)).toEqual([shifted.lat, shifted.lng]);
    // A few hundred metres, not nothing.
    expect(Math.abs(shifted.lng - 112.613) + Math.abs(shifted.lat - 26.879)).toBeGreaterThan(0.001);
  });

  it('writes distances and durations the way the card shows them', () => {
    expect(distanceText(292.4)).toBe('292 米');
    expect(distanceText(1234)).toBe('1.2 公里');
    expect(minutesText(35)).toBe('35 分钟');
    expect(minutesText(125)).toBe('2 小时 5 分');
  });
});
