import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors';
import { DepartmentTree, type Department } from '#shared/domain/reference/departments';
import { loadDemoCity } from '#infra/local/seed';

const tree = new DepartmentTree(loadDemoCity().departments);
const ids = (list: Department[]) => list.map((d) => d.id);

describe('the department tree (demo city)', () => {
  it('walks ancestors nearest first: street brigade → district bureau → city bureau', () => {
    expect(ids(tree.ancestors('yanfeng-street-brigade'))).toEqual(['yanfeng-district-bureau', 'city-bureau']);
    expect(tree.ancestors('city-bureau')).toEqual([]);
  });

  it('lists a district bureau\'s brigades as descendants, and the city bureau\'s whole tree', () => {
    expect(ids(tree.descendants('yanfeng-district-bureau')).sort()).toEqual(
      ['baishazhou-street-brigade', 'tianmashan-street-brigade', 'xianfeng-street-brigade', 'yanfeng-street-brigade'].sort(),
    );
    expect(tree.descendants('city-bureau')).toHaveLength(tree.list().length - 1);
  });

  it('answers subtree membership in both directions', () => {
    expect(tree.isWithin('yanfeng-street-brigade', 'yanfeng-district-bureau')).toBe(true);
    expect(tree.isWithin('yanfeng-street-brigade', 'yanfeng-street-brigade')).toBe(true);
    expect(tree.isWithin('yanfeng-district-bureau', 'yanfeng-street-brigade')).toBe(false);
    expect(tree.isWithin('dongfeng-street-brigade', 'yanfeng-district-bureau')).toBe(false);
  });

  it('finds the responsible unit at each level for a grid, "by location"', () => {
    expect(tree.responsibleUnit(3, 'yanfeng-dangjiacun')?.id).toBe('yanfeng-street-brigade');
    expect(tree.responsibleUnit(2, 'yanfeng-dangjiacun')?.id).toBe('yanfeng-district-bureau');
    expect(tree.responsibleUnit(1, 'yanfeng-dangjiacun')?.id).toBe('city-bureau');
    expect(tree.responsibleUnit(2, 'dongfeng-dongfeng')?.id).toBe('zhuhui-district-bureau');
    expect(tree.responsibleUnit(3, 'no-such-grid')).toBeUndefined();
  });

  it('gives every demo grid exactly one street brigade', () => {
    for (const grid of loadDemoCity().grids) expect(tree.responsibleUnit(3, grid.id), grid.id).toBeDefined();
  });

  const reject = (candidate: Department, path: string) => {
    try {
      tree.validateUpsert(candidate);
      expect.unreachable('accepted an invalid department');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details.map((d) => d.path)).toContain(path);
    }
  };

  it('refuses a move that would make a department its own ancestor', () => {
    reject({ id: 'yanfeng-district-bureau', name: 'x', parentId: 'yanfeng-street-brigade', type: 'district-bureau', level: 2, gridIds: [] }, 'parentId');
  });

  it('refuses a street brigade under the city bureau (levels must follow)', () => {
    reject({ id: 'new-brigade', name: 'x', parentId: 'city-bureau', type: 'street-brigade', level: 3, gridIds: [] }, 'parentId');
  });

  it('refuses a grid already covered by another brigade, and an unknown parent', () => {
    reject({ id: 'new-brigade', name: 'x', parentId: 'yanfeng-district-bureau', type: 'street-brigade', level: 3, gridIds: ['yanfeng-dangjiacun'] }, 'gridIds');
    reject({ id: 'new-brigade', name: 'x', parentId: 'nowhere', type: 'street-brigade', level: 3, gridIds: [] }, 'parentId');
  });

  it('accepts a renamed brigade keeping its own grids', () => {
    const own = tree.require('yanfeng-street-brigade');
    expect(() => tree.validateUpsert({ ...own, name: '雁峰街道综合执法大队' })).not.toThrow();
  });
});
