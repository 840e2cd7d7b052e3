import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { User } from '#shared/domain/identity/model';

/**
 * `staff.csv` of a city folder: the staff accounts (人员), one a line, UTF-8 (a BOM, as spreadsheet
 * programs write it, is fine), a header line naming the columns:
 *
 *     phone,displayName,roles,departmentId,gridIds,status
 *     +8613800000007,处置 孙涛,handler,yanfeng-street-brigade,,active
 *     +8613800000003,监督 李明,supervisor;handler,yanfeng-street-brigade,dangjiacun;yanfeng-1,active
 *
 * `roles` and `gridIds` hold several values separated by `;` (or `|`, `、`, spaces); an empty `gridIds`
 * is none, an empty `status` keeps an account's status (new ones are active). The rows go through
 * `POST /v1/admin/staff/batch`'s own code (the phone as the key; every row checked before anything is
 * written). Parsed and written with papaparse (quotes, CRLF line ends and blank lines as spreadsheets
 * write them).
 */
export const STAFF_FILE = 'staff.csv';
export const STAFF_COLUMNS = ['phone', 'displayName', 'roles', 'departmentId', 'gridIds', 'status'] as const;

const list = (cell: string | undefined) => (cell ?? '').split(/[;|、\s]+/).map((v) => v.trim()).filter(Boolean);

/** Whether the folder has a staff file. */
export const hasStaffFile = (dir: string) => existsSync(join(dir, STAFF_FILE));

/**
 * The rows of `dir/staff.csv` as the batch route takes them (each checked there), with each row's line
 * in the file; or the problems that keep the file from being read at all.
 */
export function readStaffCsv(dir: string): { rows: Array<{ line: number; item: Record<string, unknown> }>; problems: string[] } {
  const text = readFileSync(join(dir, STAFF_FILE), 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  const problems = parsed.errors.map((e) => `${STAFF_FILE}${e.row !== undefined ? ` line ${e.row + 2}` : ''}: ${e.message}`);
  const columns = parsed.meta.fields ?? [];
  const missing = ['phone', 'displayName', 'roles', 'departmentId'].filter((c) => !columns.includes(c));
  if (missing.length > 0) return { rows: [], problems: [...problems, `${STAFF_FILE}: the first line names the columns: ${STAFF_COLUMNS.join(',')} (missing: ${missing.join(', ')})`] };
  const rows = parsed.data.map((row, index) => {
    const item: Record<string, unknown> = { phone: (row.phone ?? '').trim(), displayName: row.displayName ?? '', roles: list(row.roles), departmentId: (row.departmentId ?? '').trim() };
    if (columns.includes('gridIds')) item.gridIds = list(row.gridIds);
    const status = (row.status ?? '').trim();
    if (status) item.status = status;
    return { line: index + 2, item };
  });
  return { rows, problems };
}

/** Writes `dir/staff.csv` (by phone) that {@link readStaffCsv} reads back as `unchanged` rows. */
export function writeStaffCsv(dir: string, staff: readonly User[]): void {
  const rows = [...staff].sort((a, b) => a.phone.localeCompare(b.phone)).map((u) => [u.phone, u.displayName, [...u.roles].sort().join(';'), u.departmentId ?? '', [...(u.gridIds ?? [])].sort().join(';'), u.status]);
  writeFileSync(join(dir, STAFF_FILE), `${Papa.unparse({ fields: [...STAFF_COLUMNS], data: rows }, { newline: '\n' })}\n`);
}
