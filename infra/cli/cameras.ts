import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import * as z from '#shared/validation/zod';
import type { Camera } from '#shared/domain/reference/camera';
import { Slug } from '#shared/schemas/reference';

/**
 * `cameras.csv` of a city folder: the cameras of the video network (视频巡查), one a line, UTF-8 (a BOM,
 * as spreadsheet programs write it, is fine), with a header line naming the columns:
 *
 *     id,name,lat,lng
 *     yanfeng-dangjiacun-crossroads,当家村十字路口,26.879,112.613
 *
 * `location` (`"26.879,112.613"`, lat first) may stand for `lat` and `lng`. WGS84, as the grids. Parsed
 * with papaparse (quotes, commas inside quotes, CRLF line ends and blank lines as spreadsheets write them).
 */
export const CAMERAS_FILE = 'cameras.csv';

const Degrees = (limit: number) => z.pipe(z.string().check(z.trim(), z.regex(/^-?\d+(\.\d+)?$/, 'A number (decimal degrees)')), z.pipe(z.transform(Number), z.number().check(z.gte(-limit), z.lte(limit))));
const CameraRow = z.object({
  id: Slug,
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
  lat: Degrees(90),
  lng: Degrees(180),
});

/** The cameras of `dir/cameras.csv`, or the problems found in it (`cameras.csv line 3 lat: …`). */
export function readCameras(dir: string): { cameras: Camera[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(join(dir, CAMERAS_FILE), 'utf8');
  } catch (error) {
    return { cameras: [], problems: [`${CAMERAS_FILE}: ${(error as Error).message}`] };
  }
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim().toLowerCase() });
  const problems = parsed.errors.map((e) => `${CAMERAS_FILE}${e.row !== undefined ? ` line ${e.row + 2}` : ''}: ${e.message}`);
  const columns = parsed.meta.fields ?? [];
  const hasPair = columns.includes('lat') && columns.includes('lng');
  if (!columns.includes('id') || !columns.includes('name') || (!hasPair && !columns.includes('location'))) {
    return { cameras: [], problems: [...problems, `${CAMERAS_FILE}: the first line names the columns: id,name,lat,lng (or id,name,location)`] };
  }
  const cameras: Camera[] = [];
  parsed.data.forEach((row, index) => {
    const line = index + 2;
    const [lat, lng] = hasPair ? [row.lat, row.lng] : (row.location ?? '').split(/[,\s]+/).filter(Boolean);
    const result = z.safeParse(CameraRow, { id: row.id?.trim(), name: row.name, lat: lat ?? '', lng: lng ?? '' });
    if (!result.success) {
      problems.push(...result.error.issues.map((i) => `${CAMERAS_FILE} line ${line} ${i.path.join('.') || '(row)'}: ${i.message}`));
      return;
    }
    const { id, name, lat: la, lng: ln } = result.data;
    cameras.push({ id, name, location: { lat: la, lng: ln } });
  });
  const ids = cameras.map((c) => c.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`${CAMERAS_FILE}: camera ${id} appears twice`);
  return { cameras, problems };
}

/** The file form of a camera (what an import compares). */
export const cameraRow = (c: Camera) => ({ id: c.id, name: c.name, location: { lat: c.location.lat, lng: c.location.lng } });

/** Writes `dir/cameras.csv` (id,name,lat,lng; by id) that {@link readCameras} reads back. */
export function writeCameras(dir: string, cameras: Camera[]): void {
  const rows = [...cameras].sort((a, b) => a.id.localeCompare(b.id)).map((c) => ({ id: c.id, name: c.name, lat: c.location.lat, lng: c.location.lng }));
  writeFileSync(join(dir, CAMERAS_FILE), `${Papa.unparse({ fields: ['id', 'name', 'lat', 'lng'], data: rows.map((r) => [r.id, r.name, r.lat, r.lng]) }, { newline: '\n' })}\n`);
}
