import { describe, expect, it } from 'vitest';
import { parseCaseNumber } from '#shared/domain/cases/views';
import { gridsFeatureCollection } from '#shared/domain/geo/display';
import { negotiateLanguage } from '#shared/http/messages';
import { currentMonth } from '#shared/domain/stats/use-cases';

describe('case numbers and their labels', () => {
  it.each([
    ['2026-000123', '2026-000123'],
    ['2026-123', '2026-000123'],
    ['【2026】字第【123】号', '2026-000123'],
    ['2026字第123号', '2026-000123'],
    [' 【2031】字第【1】号 ', '2031-000001'],
    ['２０２６－０００１２３', '2026-000123'], // typed in full width
    ['【２０２６】字第【７】号', '2026-000007'],
  ])('reads %s as %s', (text, number) => expect(parseCaseNumber(text)).toBe(number));

  it.each(['', 'abc', '2026-0000001', '26-000123', '2026-000000', '【2026】字第【】号'])('refuses %j', (text) => expect(parseCaseNumber(text)).toBeUndefined());
});

describe('the current month in Asia/Shanghai', () => {
  it('turns at local midnight, not UTC midnight, and knows month lengths', () => {
    expect(currentMonth(new Date('2026-02-28T16:30:00Z'))).toEqual({ from: '2026-03-01', to: '2026-03-31' }); // 00:30 on 1 March in Shanghai
    expect(currentMonth(new Date('2026-02-28T15:59:00Z'))).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(currentMonth(new Date('2028-02-10T00:00:00Z'))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });
});

describe('Accept-Language', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['en', 'en'],
    ['en-GB,en;q=0.8', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['de, en;q=0.1', 'en'],
    ['en;q=0, zh;q=0.1', 'zh-CN'],
    ['*', 'zh-CN'],
  ])('%s → %s', (header, language) => expect(negotiateLanguage(header)).toBe(language));
});

describe('grids for display', () => {
  it('drops the vertices of a dense boundary, keeps rings closed and properties as the contract\'s Grid', () => {
    const ring = Array.from({ length: 720 }, (_, i) => {
      const angle = (i / 720) * 2 * Math.PI;
      return [112.613 + 0.005 * Math.cos(angle), 26.879 + 0.005 * Math.sin(angle)];
    });
    ring.push(ring[0]!);
    const grid = { id: 'g1', name: '当家村社区', community: '当家村社区', communityCode: 'x', street: '雁峰街道', district: '雁峰区', geometry: { type: 'Polygon' as const, coordinates: [ring] } };
    const [feature] = gridsFeatureCollection([grid]).features;
    const simplified = (feature!.geometry as { coordinates: number[][][] }).coordinates[0]!;
    expect(simplified.length).toBeLessThan(ring.length / 3);
    expect(simplified.length).toBeGreaterThanOrEqual(4);
    expect(simplified[0]).toEqual(simplified.at(-1));
    expect(feature!.properties).toEqual({ id: 'g1', name: '当家村社区', community: '当家村社区', street: '雁峰街道', district: '雁峰区' });
    expect(grid.geometry.coordinates[0]).toHaveLength(721); // the stored polygon is untouched
  });
});
