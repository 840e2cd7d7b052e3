import { randomUUID } from 'node:crypto';
import type { Table } from '#shared/data/db';
import { reindexCases } from './reindex.ts';
import { BackupError, backupTable, restoreTable } from './backup.ts';
import type { Target } from './target.ts';
import { createIdentityStore } from '#shared/data/identity-store';
import { createReferenceStore } from '#shared/data/reference-store';
import { createCaseStore } from '#shared/data/case-store';
import { DepartmentTree, type Department } from '#shared/domain/reference/departments';
import { ConflictError, ValidationError } from '#shared/domain/errors';
import { createStaff } from '#shared/domain/identity/use-cases';
import { normalizePhone } from '#shared/domain/phone';
import { CityFolderError, readCityFolder, writeCityFolder, type City } from './city-folder.ts';
import { maskPhone } from '#shared/domain/phone';
import { CLI_ACTOR, verifyChain, type AuditEntry } from '#shared/domain/audit/chain';
import type { AuditLog } from '#shared/domain/audit/ports';
import { checkAnchor } from '#shared/domain/audit/anchor';
import type { NamedAnchor } from './anchors.ts';
import { STAFF_BATCH_MAX_ROWS, importStaff, type StaffBatchResultRow } from '#shared/domain/identity/staff-batch';
import type { User } from '#shared/domain/identity/model';
import { parseStaffRows } from '#shared/http/staff-rows';
import { STAFF_FILE, hasStaffFile, readStaffCsv, writeStaffCsv } from './staff-csv.ts';
import { applyImport, changeCount, describePlan, planImport, readCity } from './city-sync.ts';

/** Where a command writes its lines (the console; tests collect them). */
export type Print = (line: string) => void;

/**
 * `init-admin`: the first admin of a city, who then creates every other account through the API.
 * 1. Normalise the phone; 2. pick the department (given, or the city's one root department);
 * 3. create the account with the admin role — unless the phone already has one: an admin is left as it
 * is (so a runbook may run this twice), any other account is refused.
 */
export async function initAdmin(db: Table, input: { phone: string; name?: string | undefined; departmentId?: string | undefined }, print: Print, audit?: AuditLog) {
  const phone = normalizePhone(input.phone);
  if (!phone) throw new ValidationError(`Not a phone number we accept: ${input.phone} (E.164, e.g. +8613800000099)`);
  const store = createIdentityStore(db);
  const existing = await store.findUserByPhone(phone);
  if (existing?.roles.includes('admin')) {
    print(`That phone already has an admin account (${existing.id}); nothing changed.`);
    return existing.id;
  }
  if (existing) throw new ConflictError('That phone already has an account without the admin role: give it the role through the admin API instead', 'PHONE_TAKEN');

  const departments = await createReferenceStore(db).listDepartments();
  const roots = departments.filter((d) => !d.parentId);
  const departmentId = input.departmentId ?? (roots.length === 1 ? roots[0]!.id : undefined);
  if (!departmentId) {
    throw new ValidationError(
      departments.length === 0
        ? 'The city has no departments yet: import the city first (npm run city -- import <dir>)'
        : `Name the admin's department with --department (roots: ${roots.map((d) => d.id).join(', ')})`,
    );
  }
  const directory = new Map(departments.map((d) => [d.id, d]));
  const view = await createStaff({ store, now: () => new Date(), newId: () => randomUUID(), audit }, { phone, displayName: input.name ?? '系统管理员', roles: ['admin'], departmentId }, undefined, directory);
  print(`Created admin ${view.id} in ${departmentId}. Log in with an SMS code to that phone (POST /v1/auth/sms-codes, then /v1/auth/login).`);
  return view.id;
}

/**
 * `import <dir>`: 1. read and check the folder (the admin routes' schemas, the department tree's rules);
 * 2. compare with the table; 3. print the plan; 4. unless `dryRun`, write the new and changed items.
 * Importing the same folder twice changes nothing the second time.
 */
export async function importCity(db: Table, dir: string, options: { dryRun: boolean }, print: Print, audit?: AuditLog) {
  const city = readCityFolder(dir);
  const store = createReferenceStore(db);
  // staff.csv first, as a dry run against the table's and the folder's departments and grids: a row that
  // is not valid stops the import before anything is written.
  const staff = hasStaffFile(dir) ? await planStaff(db, dir, city) : undefined;
  const plan = await planImport(store, city);
  const changes = changeCount(plan);
  const staffChanges = staff ? staff.filter((r) => r.outcome === 'created' || r.outcome === 'updated').length : 0;
  print(changes + staffChanges === 0 ? 'Nothing to change: the table already holds this city.' : options.dryRun ? 'Would change (dry run, nothing written):' : 'Changing:');
  for (const line of describePlan(plan)) print(line);
  if (staff) for (const line of describeStaff(staff)) print(line);
  if (!options.dryRun && changes > 0) {
    const before = new Map((await store.listDepartments()).map((d) => [d.id, d]));
    await applyImport(store, plan, audit && { log: audit, actor: CLI_ACTOR, kind: 'city.import' });
    print(`Imported ${changes} item${changes === 1 ? '' : 's'}.`);
    await rekeyMovedDepartments(db, before, print);
  }
  if (!options.dryRun && staffChanges > 0) {
    const written = await applyStaff(db, dir, audit);
    print(`Imported ${written} staff account${written === 1 ? '' : 's'}.`);
  }
  return plan;
}

/**
 * After an import, the open cases below every department that moved (another parent or level) are given
 * the subtree queues' keys of the tree as now stored — what `PUT /v1/admin/departments/{id}` does for one
 * department. A department below another that moved is covered by its ancestor's run. Idempotent, so
 * an import cut short here is finished by importing again (or by `reindex`).
 */
async function rekeyMovedDepartments(db: Table, before: Map<string, Department>, print: Print) {
  const after = await createReferenceStore(db).listDepartments();
  const moved = new Set(after.filter((d) => {
    const old = before.get(d.id);
    return old !== undefined && (old.parentId !== d.parentId || old.level !== d.level);
  }).map((d) => d.id));
  if (moved.size === 0) return;
  const tree = new DepartmentTree(after);
  const cases = createCaseStore(db, async () => tree);
  for (const id of moved) {
    if (tree.ancestors(id).some((ancestor) => moved.has(ancestor.id))) continue;
    const { checked, rewritten } = await cases.rekeySubtree(id, tree);
    print(`Moved ${id}: re-keyed ${rewritten} of the ${checked} open cases held by it or below it.`);
  }
}

/** The staff batch's own deps for the CLI: departments and grids of the table, plus (before they are written) the folder's. */
function staffDeps(db: Table, city?: City) {
  const reference = createReferenceStore(db);
  return {
    store: createIdentityStore(db),
    departments: async () => new Map([...(await reference.listDepartments()), ...(city?.departments ?? [])].map((d) => [d.id, d])),
    grids: async () => new Set([...(await reference.listGrids()), ...(city?.grids ?? [])].map((g) => g.id)),
    now: () => new Date(),
    newId: () => randomUUID(),
  };
}

/** Rows of staff.csv through the batch, 500 at a time; every row is answered with its line in the file. */
async function runStaff(db: Table, dir: string, dryRun: boolean, city?: City, audit?: AuditLog): Promise<Array<StaffBatchResultRow & { line: number }>> {
  const { rows, problems } = readStaffCsv(dir);
  if (problems.length > 0) throw new CityFolderError(problems);
  const deps = { ...staffDeps(db, city), audit };
  const answered: Array<StaffBatchResultRow & { line: number }> = [];
  for (let i = 0; i < rows.length; i += STAFF_BATCH_MAX_ROWS) {
    const chunk = rows.slice(i, i + STAFF_BATCH_MAX_ROWS);
    const { items } = await importStaff(deps, parseStaffRows(chunk.map((r) => r.item), 'en'), { dryRun, actor: CLI_ACTOR });
    answered.push(...items.map((item, k) => ({ ...item, line: chunk[k]!.line })));
  }
  return answered;
}

async function planStaff(db: Table, dir: string, city: City) {
  const rows = await runStaff(db, dir, true, city);
  const invalid = rows.filter((r) => r.outcome === 'invalid');
  if (invalid.length > 0) throw new CityFolderError(invalid.flatMap((r) => (r.errors ?? []).map((e) => `${STAFF_FILE} line ${r.line} ${e.path}: ${e.message}`)));
  return rows;
}

async function applyStaff(db: Table, dir: string, audit?: AuditLog): Promise<number> {
  const rows = await runStaff(db, dir, false, undefined, audit);
  return rows.filter((r) => r.outcome === 'created' || r.outcome === 'updated').length;
}

/** One line per new or changed account (phones masked) and a count. */
function describeStaff(rows: StaffBatchResultRow[]): string[] {
  const lines = rows.filter((r) => r.outcome === 'created' || r.outcome === 'updated').map((r) => `  ${r.outcome === 'created' ? '+' : '~'} staff ${maskPhone(r.phone)}${r.outcome === 'updated' ? ' (changed)' : ''}`);
  const count = (o: string) => rows.filter((r) => r.outcome === o).length;
  lines.push(`  staff: ${count('created')} new, ${count('updated')} changed, ${count('unchanged')} unchanged`);
  return lines;
}

/** Every staff account, through the directory (by name, a page at a time). */
async function allStaff(db: Table): Promise<User[]> {
  const store = createIdentityStore(db);
  const staff: User[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listStaff({}, { limit: 100, cursor });
    staff.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return staff;
}

/** `export <dir>`: the table's reference data as a city folder (every file, categories and the stored calendar years included). */
export async function exportCity(db: Table, dir: string, print: Print) {
  const city = await readCity(createReferenceStore(db));
  writeCityFolder(dir, city);
  const staff = await allStaff(db);
  writeStaffCsv(dir, staff);
  print(`Wrote ${city.departments.length} departments, ${city.grids.length} grids, ${city.categories.length} categories, ${city.calendar.length} calendar years, ${city.cameras.length} cameras and ${staff.length} staff accounts (${STAFF_FILE}: with phone numbers, keep it safe) to ${dir}.`);
  return city;
}

/** `reindex`: every stored case rewritten with today's index keys (items from before an index existed), and API keys from before their listing listed. */
export async function reindex(db: Table, print: Print) {
  let thousands = 0;
  // Progress once per thousand cases (a Scan page may hold no case at all: nothing to say then).
  const done = await reindexCases(db, ({ scanned }) => {
    if (Math.floor(scanned / 1000) > thousands) print(`… ${(thousands = Math.floor(scanned / 1000)) * 1000} cases`);
  });
  const skipped = done.scanned - done.rewritten;
  print(`Rewrote ${done.rewritten} of ${done.scanned} cases${skipped ? ` (${skipped} changed meanwhile: their own transition wrote the keys)` : ''}.`);
  if (done.apiKeysListed) print(`Listed ${done.apiKeysListed} API key${done.apiKeysListed === 1 ? '' : 's'} created before GET /v1/admin/api-keys listed them.`);
  return done;
}

/** `backup <dir>`: every item of the target's table as JSON lines, the photos' keys and a manifest (infra/cli/backup.ts). */
export async function backup(target: Target, dir: string, print: Print, options: { segments?: number } = {}) {
  return backupTable(target.db, dir, { source: target.description, ...options }, print);
}

/**
 * `restore <dir>`: a backup into the target's table, which must be empty. Refused where an event processor
 * reads the table's stream (a running npm start, a stack's own table): it would handle every restored
 * case event again — texts to citizens, hotline callbacks, deadline timers.
 */
export async function restore(target: Target, dir: string, print: Print) {
  if (target.liveEvents) throw new BackupError(`Not restoring into ${target.description}: ${target.liveEvents}.`);
  const done = await restoreTable(target.db, dir, print);
  target.afterRestore?.();
  return done;
}

/**
 * `audit verify`: walks the audit record (操作日志) from its first entry, recomputing each digest (RFC 8785)
 * and each hash (HMAC with the audit secret), and names the first entry that does not match. Exit code 1
 * then. An entry whose phone numbers were erased is checked with its stored digest (docs/operations.md).
 *
 * With anchors (`--anchor latest` or anchor files, oldest first): the chain must also still hold each
 * anchored `(seq, hash)`. A chain rebuilt with the stolen key verifies on its own — only the anchors,
 * which the table's and the secret's holders cannot change, show it; the first anchor that no longer
 * matches bounds where the change is (after the last anchor that still matches, up to it).
 */
export async function verifyAudit(log: AuditLog, print: Print, anchors: NamedAnchor | readonly NamedAnchor[] = []): Promise<boolean> {
  const chained = await verifyChainOnly(log, print);
  if (!chained.ok) return false;
  const list = [anchors].flat().sort((a, b) => a.anchor.seq - b.anchor.seq);
  let matched: NamedAnchor | undefined;
  for (const named of list) {
    const check = checkAnchor(chained.entries, named.anchor);
    if (check.ok) {
      matched = named;
      continue;
    }
    print(`Anchor ${named.name} does not match: ${check.detail}.`);
    const from = (matched?.anchor.seq ?? 0) + 1;
    const bad = chained.entries.find((e) => e.seq === named.anchor.seq);
    if (bad) print(`  seq ${bad.seq} · ${bad.at} · ${bad.kind} ${bad.target} · by ${bad.actorName} (${bad.actorId})`);
    print(`  An entry from ${from} to ${named.anchor.seq} was changed, removed or added after ${named.anchor.at}${matched ? ` (entries 1–${matched.anchor.seq} match anchor ${matched.name})` : ''}; nothing from entry ${from} on can be trusted.`);
    return false;
  }
  for (const named of list) print(`The chain matches anchor ${named.name} (seq ${named.anchor.seq}, anchored ${named.anchor.at}).`);
  return true;
}

async function verifyChainOnly(log: AuditLog, print: Print): Promise<{ ok: boolean; entries: AuditEntry[] }> {
  const entries: AuditEntry[] = [];
  for await (const entry of log.entries()) entries.push(entry);
  const head = await log.head();
  const result = verifyChain(await log.key(), entries, head && { seq: head.seq, hash: head.hash });
  if (!result.broken) {
    print(`Verified ${result.checked} entr${result.checked === 1 ? 'y' : 'ies'}: the chain is unbroken${head ? `; the latest hash (seq ${head.seq}) is ${head.hash}` : ''}.`);
    return { ok: true, entries };
  }
  const bad = entries.find((e) => e.seq === result.broken!.seq);
  print(`Entry ${result.broken.seq} does not match: ${result.broken.detail}.`);
  if (bad) print(`  seq ${bad.seq} · ${bad.at} · ${bad.kind} ${bad.target} · by ${bad.actorName} (${bad.actorId})`);
  print(`  ${trustLine(result.broken.seq)}`);
  return { ok: false, entries };
}

/** What `audit verify` says can still be trusted when entry `seq` is the first that does not match. */
export function trustLine(seq: number): string {
  if (seq <= 1) return 'No entry can be trusted.';
  return `${seq === 2 ? 'Entry 1 verifies' : `Entries 1–${seq - 1} verify`}; nothing from entry ${seq} on can be trusted.`;
}
