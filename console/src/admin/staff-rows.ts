/**
 * 人员 import: a sheet's rows as `POST /v1/admin/staff/batch` items (no browser, no API types: the unit
 * tests run it under Node). Columns: 手机号 · 姓名 · 角色 · 部门 · 网格 · 状态 — or the CLI's staff.csv names
 * (phone, displayName, roles, departmentId, gridIds, status). Roles by their Chinese name (监督员) or id
 * (supervisor), several separated by 、 ; | , or spaces; the department by id or exact name; 状态 在职/停用
 * (active/disabled), empty keeps an account's status (new ones are active); an empty 网格 is none. Each
 * row goes to the batch as it is, so the API's checks judge it.
 */
export const SHEET_COLUMNS = ['手机号', '姓名', '角色', '部门', '网格', '状态'] as const;
const ALIASES: Record<string, (typeof SHEET_COLUMNS)[number]> = {
  手机号: '手机号',
  手机: '手机号',
  phone: '手机号',
  姓名: '姓名',
  displayname: '姓名',
  name: '姓名',
  角色: '角色',
  roles: '角色',
  部门: '部门',
  departmentid: '部门',
  department: '部门',
  网格: '网格',
  gridids: '网格',
  状态: '状态',
  status: '状态',
};
const STATUS_WORDS: Record<string, 'active' | 'disabled'> = { 在职: 'active', 启用: 'active', 正常: 'active', active: 'active', 停用: 'disabled', 禁用: 'disabled', disabled: 'disabled' };
export const STATUS_LABELS = { active: '在职', disabled: '停用' } as const;

/** One row of the file: where it was, what it said (for the preview) and the batch item it becomes. */
export interface SheetRow {
  line: number;
  item: { phone: string; displayName: string; roles: string[]; departmentId: string; gridIds?: string[]; status?: string };
}

const list = (cell: string) =>
  cell
    .split(/[;；|、,，\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);
const text = (cell: unknown) => (cell === null || cell === undefined ? '' : cell instanceof Date ? cell.toISOString() : String(cell)).trim();

/**
 * A sheet's cells (first row: the column names) as batch items, with each row's line in the file; throws
 * with a Chinese message when the columns are missing or there are no rows (or more than 500).
 */
export function rowsFromTable(table: readonly unknown[][], departments: ReadonlyArray<{ id: string; name: string }>, roleLabels: Readonly<Record<string, string>>): SheetRow[] {
  const header = (table[0] ?? []).map((h) => ALIASES[text(h).replace(/\s+/g, '').toLowerCase()] ?? ALIASES[text(h)]);
  const missing = SHEET_COLUMNS.slice(0, 4).filter((c) => !header.includes(c));
  if (missing.length > 0) throw new Error(`第一行应为列名：${SHEET_COLUMNS.join('、')}（缺少：${missing.join('、')}）。可先下载模板。`);
  const at = (row: unknown[], column: (typeof SHEET_COLUMNS)[number]) => {
    const index = header.indexOf(column);
    return index < 0 ? '' : text(row[index]);
  };
  const roleIds = new Map(Object.entries(roleLabels).map(([id, label]) => [label, id]));
  const byName = new Map(departments.map((d) => [d.name, d.id]));
  const ids = new Set(departments.map((d) => d.id));
  const rows: SheetRow[] = [];
  table.slice(1).forEach((row, index) => {
    if (row.every((cell) => text(cell) === '')) return;
    const department = at(row, '部门');
    const status = at(row, '状态');
    const item: SheetRow['item'] = {
      phone: at(row, '手机号'),
      displayName: at(row, '姓名'),
      roles: list(at(row, '角色')).map((r) => roleIds.get(r) ?? r),
      departmentId: ids.has(department) ? department : (byName.get(department) ?? department),
    };
    if (header.includes('网格')) item.gridIds = list(at(row, '网格'));
    if (status) item.status = STATUS_WORDS[status.toLowerCase()] ?? status;
    rows.push({ line: index + 2, item });
  });
  if (rows.length === 0) throw new Error('文件中没有人员数据（第一行为列名，从第二行起每行一人）');
  if (rows.length > 500) throw new Error(`一次最多导入 500 人，文件中有 ${rows.length} 人：请分成几个文件`);
  return rows;
}

