/**
 * 人员 import and export as spreadsheets: .xlsx read with read-excel-file and written with
 * write-excel-file, .csv read with papaparse (as the CLI reads a city folder's staff.csv). This module is
 * loaded only when the admin imports, exports or downloads the template (a dynamic import), so the
 * console's first load does not carry the spreadsheet code.

 * The columns and how a row becomes a batch item: `staff-rows.ts`.
 */
import type { AdminStaff } from '../api/admin';
import type { Department, Role } from '../api/types';
import { ROLE_LABELS } from '../labels';
import { rowsFromTable, SHEET_COLUMNS, STATUS_LABELS, type SheetRow } from './staff-rows';

async function readXlsx(file: File): Promise<unknown[][]> {
  const { readSheet } = await import('read-excel-file/browser');
  try {
    return (await readSheet(file)) as unknown[][];
  } catch {
    throw new Error('无法读取该 Excel 文件：请使用 .xlsx 格式（可先下载模板）');
  }
}

async function readCsv(file: File): Promise<unknown[][]> {
  const { default: Papa } = await import('papaparse');
  const parsed = Papa.parse<string[]>((await file.text()).replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  if (parsed.errors.length > 0 && parsed.data.length === 0) throw new Error(`无法读取该 CSV 文件：${parsed.errors[0]!.message}`);
  return parsed.data;
}

/** The rows of an .xlsx (first sheet) or .csv file as batch items; throws with a Chinese message when the file cannot be read. */
export async function readStaffSheet(file: File, departments: readonly Department[]): Promise<SheetRow[]> {
  const table = /\.csv$/i.test(file.name) || file.type === 'text/csv' ? await readCsv(file) : await readXlsx(file);
  return rowsFromTable(table, departments, ROLE_LABELS);
}

/** The sheet's rows for these staff (the same columns the import reads, so an export imports as unchanged). */
function staffTable(staff: readonly AdminStaff[]): Array<Array<string>> {
  return staff.map((s) => [
    s.phone,
    s.displayName,
    s.roles.map((r) => ROLE_LABELS[r as Role] ?? r).join('、'),
    s.departmentId,
    [...s.gridIds].sort().join('、'),
    STATUS_LABELS[s.status],
  ]);
}

async function xlsxBlob(rows: Array<Array<string>>): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser');
  const header = SHEET_COLUMNS.map((value) => ({ value, fontWeight: 'bold' as const }));
  return writeXlsxFile([header, ...rows.map((r) => r.map((value) => ({ value, type: String })))], {
    columns: [{ width: 16 }, { width: 12 }, { width: 20 }, { width: 26 }, { width: 30 }, { width: 8 }],
    sheet: '人员',
  }).toBlob();
}

export const staffWorkbook = (staff: readonly AdminStaff[]) => xlsxBlob(staffTable(staff));

/** 模板: the columns and two example rows (a department by its id or name, several roles or grids with 、). */
export const templateWorkbook = (departments: readonly Department[]) => {
  const department = departments.find((d) => d.parentId) ?? departments[0];
  return xlsxBlob([
    ['+8613900000001', '张三', '处置人员', department?.name ?? '雁峰街道城管大队', '', '在职'],
    ['13900000002', '李四', '监督员、处置人员', department?.id ?? 'yanfeng-street-brigade', '', ''],
  ]);
};

/** Saves a blob as a file through a temporary link (no popup, nothing left in the page). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
