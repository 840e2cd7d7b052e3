/** A readable difference between an audit entry's `before` and `after`: one line per changed leaf. */
export interface DiffLine {
  path: string;
  before?: string;
  after?: string;
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function summary(value: unknown): string {
  if (value === null || typeof value !== 'object') return show(value);
  return Object.entries(value as Record<string, unknown>)
    .filter(([key]) => key !== 'id' && key !== 'userId')
    .map(([, v]) => (Array.isArray(v) ? v.map(show).join('、') : show(v)))
    .filter((v) => v !== '')
    .join(' · ');
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, value);
    for (const [key, inner] of entries) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  // Arrays of plain values read best as one line (roles, grids, dates); arrays of objects (a batch's
  // rows) as one line per element: its values without ids, joined by ' · '.
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
    value.forEach((inner, index) => out.set(`${prefix}[${index + 1}]`, summary(inner)));
    if (value.length === 0) out.set(prefix, value);
    return;
  }
  out.set(prefix || '(值)', Array.isArray(value) ? value.map(show).join('、') || '（空）' : value);
}

/** The changed leaves, in the order they appear (after's order, then what only before had). */
export function diffLines(before: unknown, after: unknown): DiffLine[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  if (before !== undefined && before !== null) flatten(before, '', a);
  if (after !== undefined && after !== null) flatten(after, '', b);
  const lines: DiffLine[] = [];
  for (const [path, value] of b) {
    const old = a.get(path);
    if (!a.has(path)) lines.push({ path, after: show(value) });
    else if (show(old) !== show(value)) lines.push({ path, before: show(old), after: show(value) });
  }
  for (const [path, value] of a) if (!b.has(path)) lines.push({ path, before: show(value) });
  return lines;
}
