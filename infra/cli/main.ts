/**
 * `npm run city -- <command>`: the operators' CLI for a city's data, against the local platform's table
 * (default) or a deployed stack's (`--stack`). `npm run city -- --help` lists the commands.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConflictError, ValidationError } from '#shared/domain/errors';
import { DataFolderBusyError } from '#infra/local/data-lock';
import { CityFolderError } from './city-folder.ts';
import { BackupError } from './backup.ts';
import { backup, exportCity, importCity, initAdmin, reindex, restore, verifyAudit } from './commands.ts';
import { createAuditLog } from '#shared/data/audit-store';
import { openTarget, type Target } from './target.ts';
import { anchorFile, latestAnchor, type NamedAnchor } from './anchors.ts';

const HELP = `Usage: npm run city -- <command> [options]

Commands
  init-admin --phone <E.164> [--name <name>] [--department <id>]
                      Create the city's first admin (default department: the city's one root
                      department). The admin logs in by SMS code and creates the other staff.
  import <dir> [--dry-run]
                      Load a city folder: departments.json, grids.geojson, categories.json
                      (optional: the default catalogue without it), calendar.json (optional:
                      [{ year, holidays, workdays }], the working calendar's years), cameras.csv
                      and staff.csv (optional: phone,displayName,roles,departmentId,gridIds,status;
                      through the staff batch's code, the phone as the key). Checked with
                      the admin API's schemas; new and changed items are written, the rest left
                      alone, so a second import changes nothing. --dry-run prints the changes and
                      writes nothing.
  export <dir>        Write the table's departments, grids, categories, calendar years, cameras
                      and staff (staff.csv, with phone numbers) as a city folder.
  backup <dir> [--segments <n>]
                      Write every item of the table to <dir>: items.jsonl (one item a line, in
                      DynamoDB JSON, the format of a DynamoDB export to S3), photos.txt (the photo
                      keys the items name: copy those objects with the bucket) and manifest.json.
                      A parallel Scan in n segments (4): not a point in time, writes made meanwhile
                      may or may not be in it.
  restore <dir>       Write a backup into an EMPTY table (refused otherwise), 25 items a batch,
                      unprocessed items retried. Not into a table an event processor reads (a
                      running npm start: stop it first; a stack's own table: --table NEW), as it
                      would send every restored case's texts and callbacks again.
  audit verify [--anchor latest|<file>]…
                      Walk the audit record (操作日志) from its first entry: each entry's digest
                      (RFC 8785 canonical JSON) and hash (HMAC with the audit secret: locally
                      .data/local.env, for --stack its AuditSecretArn output). Names the first
                      entry that does not match (exit code 1). --anchor: the chain must also
                      still hold the anchored (seq, hash) — latest: the newest object of the
                      stack's Object Lock bucket (AuditAnchorBucket output), locally of the
                      running npm start's anchor bucket; <file>: an anchor saved from it. A chain
                      rebuilt with the audit secret is caught only this way.
  reindex             Rewrite every stored case with the keys of today's indexes (after a deploy
                      that added one: case number, reported month, nearness, urgent queue), and
                      list the Open311 API keys created before GET /v1/admin/api-keys listed
                      them. Safe while the API runs; a second run changes nothing the API reads.

Target (default: the local platform's table in npm start's data folder, CITYGRID_DATA_DIR or .data/:
through the running npm start's DynamoDB Local when npm start has the folder open (its port from
the folder's platform.lock.json), else a DynamoDB Local answering on DYNAMODB_PORT (8000), else
DynamoDB Local started on the folder for the command. A folder another city command has open is
refused: a data folder is never opened twice)
  --stack <name>      A deployed stack, e.g. CityGrid-prod: the table from its TableName output,
                      credentials and region from the default AWS chain (AWS_PROFILE, AWS_REGION…)
  --region <region>   The stack's region, if not the default chain's
  --table <name>      Local: another table than npm start's citygrid-local. With --stack, restore
                      only: a new table in the stack's account and region (created from the table
                      definition), to point the stack at afterwards (docs/operations.md)

  -h, --help          This text
`;

const OPTIONS = {
  phone: { type: 'string' },
  name: { type: 'string' },
  department: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  stack: { type: 'string' },
  region: { type: 'string' },
  table: { type: 'string' },
  segments: { type: 'string' },
  anchor: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Runs one command line; returns the exit code. */
export async function run(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    print(HELP);
    return command || values.help ? 0 : 1;
  }
  const needsDir = ['import', 'export', 'backup', 'restore'].includes(command);
  if (!['init-admin', 'import', 'export', 'reindex', 'backup', 'restore', 'audit'].includes(command)) throw new UsageError(`Unknown command "${command}"`);
  if (command === 'audit' && (rest.length !== 1 || rest[0] !== 'verify')) throw new UsageError('audit takes one subcommand: npm run city -- audit verify');
  if (values.anchor?.length && command !== 'audit') throw new UsageError('--anchor is for audit verify only');
  if (needsDir && rest.length !== 1) throw new UsageError(`${command} takes one folder, e.g. npm run city -- ${command} ./my-city`);
  if (command === 'init-admin' && !values.phone) throw new UsageError('init-admin needs --phone <E.164>');
  if (values.stack && values.table && command !== 'restore') throw new UsageError('--table with --stack is for restore only (a new table to restore into)');
  const segments = values.segments === undefined ? undefined : Number(values.segments);
  if (segments !== undefined && (!Number.isInteger(segments) || segments < 1 || segments > 64)) throw new UsageError('--segments takes a number from 1 to 64');

  const dynamoPort = Number(process.env.DYNAMODB_PORT ?? 8000);
  if (!Number.isInteger(dynamoPort) || dynamoPort < 1 || dynamoPort > 65535) throw new UsageError(`DYNAMODB_PORT must be a port number, got "${process.env.DYNAMODB_PORT}"`);
  const target = await openTarget({ stack: values.stack, region: values.region, dynamoPort, localTable: values.table });
  try {
    print(`Target: ${target.description}`);
    // Admin writes of the CLI are on the audit record like the API's (actor city-cli).
    const audit = createAuditLog(target.db, target.auditKey);
    if (command === 'audit') return (await verifyAudit(audit, print, await readAnchors(values.anchor ?? [], target))) ? 0 : 1;
    if (command === 'init-admin') await initAdmin(target.db, { phone: values.phone!, name: values.name, departmentId: values.department }, print, audit);
    else if (command === 'import') await importCity(target.db, resolve(rest[0]!), { dryRun: values['dry-run'] }, print, audit);
    else if (command === 'reindex') await reindex(target.db, print);
    else if (command === 'backup') await backup(target, resolve(rest[0]!), print, segments ? { segments } : {});
    else if (command === 'restore') await restore(target, resolve(rest[0]!), print);
    else await exportCity(target.db, resolve(rest[0]!), print);
    return 0;
  } finally {
    await target.close();
  }
}

/** The anchors `--anchor` names: `latest` from the target's anchor bucket, anything else a saved file. */
async function readAnchors(names: string[], target: Target): Promise<NamedAnchor[]> {
  const anchors: NamedAnchor[] = [];
  for (const name of names) {
    if (name !== 'latest') {
      try {
        anchors.push(anchorFile(resolve(name)));
      } catch (error) {
        throw new UsageError(`--anchor ${name}: ${(error as Error).message}`);
      }
      continue;
    }
    if (!target.anchors) throw new UsageError(`--anchor latest: ${target.description} has no anchor bucket to read (locally: start npm start; a stack: deploy this version, with its AuditAnchorBucket output). Pass a saved anchor file instead.`);
    const latest = await latestAnchor(target.anchors.client, target.anchors.bucket);
    if (!latest) throw new UsageError(`--anchor latest: s3://${target.anchors.bucket} holds no anchor yet (the first is written within the hour).`);
    anchors.push(latest);
  }
  return anchors;
}

class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\nnpm run city -- --help lists the commands.`);
    this.name = 'UsageError';
  }
}

// Run as a script (`tsx infra/cli/main.ts …`), not when a test imports it.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      // Expected failures are one clear message; anything else keeps its stack for a bug report.
      const expected = error instanceof CityFolderError || error instanceof ValidationError || error instanceof ConflictError || error instanceof UsageError || error instanceof DataFolderBusyError || error instanceof BackupError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      console.error(expected ? `city: ${error.message}` : error);
      process.exit(1);
    },
  );
}
