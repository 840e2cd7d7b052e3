import Papa from 'papaparse';
import { readSheet } from 'read-excel-file/node';
import writeExcelFile from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import { diffLines } from '../../console/src/admin/diff.ts';
import { coverage, type GridShape } from '../../console/src/admin/grid-coverage.ts';
import { rowsFromTable } from '../../console/src/admin/staff-rows.ts';

/** The console's 应用维护 helpers that need no browser: the audit diff, the grid coverage check, the staff sheet reader. */
const DEPARTMENTS = [
  { id: 'city-bureau', name: '市城管执法局' },
  { id: 'yanfeng-street-brigade', name: '雁峰街道城管大队' },
];
const ROLES = { supervisor: '监督员', handler: '处置人员', admin: '管理员' };

const square = (id: string, x: number, y: number, size: number): GridShape => ({
  type: 'Feature',
  properties: { id, name: id },
  geometry: { type: 'Polygon', coordinates: [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]] },
});

describe('操作日志 diff', () => {
  it('lists each changed leaf with its value before and after, and only what changed', () => {
    const before = { name: '沿街晾挂', timeLimit: { workingHours: 8 }, closingCriteria: '清理' };
    const after = { name: '沿街晾挂', timeLimit: { workingHours: 9, urgentHours: 2 } };
    expect(diffLines(before, after)).toEqual([
      { path: 'timeLimit.workingHours', before: '8', after: '9' },
      { path: 'timeLimit.urgentHours', after: '2' },
      { path: 'closingCriteria', before: '清理' },
    ]);
  });

  it('shows lists of plain values on one line, and a created item as its new values', () => {
    expect(diffLines(undefined, { roles: ['supervisor', 'handler'] })).toEqual([{ path: 'roles', after: 'supervisor、handler' }]);
    expect(diffLines({ roles: ['handler'] }, { roles: ['handler'] })).toEqual([]);
  });

  it('shows a batch\'s rows one line each, without their ids', () => {
    const rows = [{ id: 'u1', phone: '+8613910000001', displayName: '导入员01', roles: ['handler', 'supervisor'], departmentId: 'yanfeng-street-brigade', gridIds: [] }];
    expect(diffLines(undefined, rows)).toEqual([{ path: '[1]', after: '+8613910000001 · 导入员01 · handler、supervisor · yanfeng-street-brigade' }]);
  });
});

describe('网格 coverage', () => {
  it('finds two grids that overlap, with the pair and an area', () => {
    const { overlaps, gaps } = coverage([square('a', 112.6, 26.8, 0.01), square('b', 112.605, 26.8, 0.01)]);
    expect(overlaps.map((o) => [o.a, o.b])).toEqual([['a', 'b']]);
    // Half of a ~1 km square: about 0.5 km² (the sampling is approximate).
    expect(overlaps[0]!.squareMetres).toBeGreaterThan(400_000);
    expect(overlaps[0]!.squareMetres).toBeLessThan(650_000);
    expect(gaps).toEqual([]);
  });

  it('finds an enclosed area that belongs to no grid, but not the outskirts', () => {
    // A ring of eight squares around an empty middle one.
    const ring = [0, 1, 2].flatMap((i) => [0, 1, 2].filter((j) => !(i === 1 && j === 1)).map((j) => square(`g${i}${j}`, 112.6 + i * 0.01, 26.8 + j * 0.01, 0.01)));
    const { overlaps, gaps } = coverage(ring);
    expect(overlaps).toEqual([]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.at.lng).toBeCloseTo(112.615, 3);
    expect(gaps[0]!.at.lat).toBeCloseTo(26.815, 3);
    // Two squares side by side, apart: what lies between is open to the outside, not a gap.
    expect(coverage([square('a', 112.6, 26.8, 0.01), square('b', 112.62, 26.8, 0.01)]).gaps).toEqual([]);
  });
});

describe('人员 sheet', () => {
  it('reads an .xlsx (made and read as the console does) with Chinese columns into batch rows: roles and status by name, the department by name or id', async () => {
    const sheet = [
      ['手机号', '姓名', '角色', '部门', '网格', '状态'],
      ['13900000001', '张三', '监督员、处置人员', '雁峰街道城管大队', 'dangjiacun；yanfeng-1', '在职'],
      ['+8613900000002', '李四', 'handler', 'yanfeng-street-brigade', '', ''],
      ['', '', '', '', '', ''],
      ['+8613900000003', '王五', '处置人员', '没有的部门', '', '停用'],
    ];
    const buffer = await writeExcelFile(sheet.map((r) => r.map((value) => ({ value, type: String })))).toBuffer();
    const rows = rowsFromTable(await readSheet(buffer), DEPARTMENTS, ROLES);
    expect(rows).toEqual([
      { line: 2, item: { phone: '13900000001', displayName: '张三', roles: ['supervisor', 'handler'], departmentId: 'yanfeng-street-brigade', gridIds: ['dangjiacun', 'yanfeng-1'], status: 'active' } },
      { line: 3, item: { phone: '+8613900000002', displayName: '李四', roles: ['handler'], departmentId: 'yanfeng-street-brigade', gridIds: [] } },
      // Unknown: sent as written, for the API to answer why.
      { line: 5, item: { phone: '+8613900000003', displayName: '王五', roles: ['handler'], departmentId: '没有的部门', gridIds: [], status: 'disabled' } },
    ]);
  });

  it('reads the CLI\'s staff.csv columns, and names the missing columns of a file without them', async () => {
    const csv = '\uFEFFphone,displayName,roles,departmentId\r\n+8613900000004,赵六,supervisor;handler,yanfeng-street-brigade\r\n';
    const table = (text: string) => Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' }).data;
    expect(rowsFromTable(table(csv), DEPARTMENTS, ROLES)).toEqual([
      { line: 2, item: { phone: '+8613900000004', displayName: '赵六', roles: ['supervisor', 'handler'], departmentId: 'yanfeng-street-brigade' } },
    ]);
    expect(() => rowsFromTable(table('姓名,部门\n张三,x\n'), DEPARTMENTS, ROLES)).toThrow('缺少：手机号、角色');
  });
});
