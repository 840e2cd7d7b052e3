import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableInput } from '#shared/data/table';
import { createDocumentClient } from '#shared/data/client';
import { auditKeyOf, loadAuditKey } from '#shared/adapters/audit-key';
import { loadLocalSecrets } from '#infra/local/secrets';
import type { Table } from '#shared/data/db';
import { LOCAL_ANCHOR_BUCKET } from '#infra/local/s3';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '#infra/local/dynamodb';
import { acquireDataLock, DataFolderBusyError, describeBusy, readDataLock } from '#infra/local/data-lock';

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The output of the stack that names its table (`infra/stacks/citygrid-stack.ts`). */
export const TABLE_OUTPUT = 'TableName';
/** The output of the stack that names the audit chain's secret (its ARN; the CLI's `audit verify` reads it). */
export const AUDIT_SECRET_OUTPUT = 'AuditSecretArn';
/** The output of the stack that names the audit anchors' Object Lock bucket (`audit verify --anchor latest` reads it). */
export const AUDIT_ANCHOR_OUTPUT = 'AuditAnchorBucket';
/** The local platform's table (`npm start`). */
export const LOCAL_TABLE = 'citygrid-local';

export interface Target {
  db: Table;
  /** Where the CLI writes, for its messages: `local table citygrid-local (http://…)` or `stack …`. */
  description: string;
  /**
   * Who acts on the table's stream right now (npm start's or the stack's event processor), as the reason
   * `restore` refuses: every restored case event would be handled again (texts, hotline callbacks, timers).
   */
  liveEvents?: string | undefined;
  /** After a restore: what the platform must forget (the local stream positions: the restored events are history). */
  afterRestore?: (() => void) | undefined;
  /** The audit chain's key: locally from the data folder's `local.env`, for a stack from its audit secret. */
  auditKey: () => Promise<Uint8Array>;
  /**
   * The latest audit anchor (`audit verify --anchor latest`): the stack's Object Lock bucket
   * (`AuditAnchorBucket` output), or locally the running npm start's anchor bucket on s3rver.
   * Undefined when there is none to read (no npm start running locally, an older stack).
   */
  anchors?: { bucket: string; client: S3Client } | undefined;
  close(): Promise<void>;
}

export interface TargetOptions {
  /** A deployed stack (e.g. `CityGrid-prod`): its table from the stack outputs, credentials from the default AWS chain. */
  stack?: string | undefined;
  region?: string | undefined;
  /** Local: DynamoDB Local's port (`DYNAMODB_PORT`, 8000 by default). */
  dynamoPort: number;
  /** Local: the data folder — by default `npm start`'s: `CITYGRID_DATA_DIR`, else `.data/`. */
  dataDir?: string;
  /**
   * Local: the table (`citygrid-local`, the one `npm start` uses). With `stack`: a NEW table in the
   * stack's account and region instead of the stack's own (restore only; created from the definition).
   */
  localTable?: string | undefined;
  /** Local: how long to wait for a starting npm start's DynamoDB Local (default 90 s). */
  waitForPlatformMs?: number;
}

/**
 * Opens the table the CLI works on.
 * - `--stack NAME`: the deployed table named by the stack's `TableName` output.
 * - otherwise the local platform's table, never opening a data folder that is open elsewhere
 *   (`platform.lock.json`, infra/local/data-lock.ts):
 *   1. a running `npm start` holds the data folder (`CITYGRID_DATA_DIR`, else `.data/`): its DynamoDB
 *      Local, on the port its lock names (whatever `DYNAMODB_PORT` says here);
 *   2. another city command holds it: refused ({@link DataFolderBusyError});
 *   3. a DynamoDB Local answers on `DYNAMODB_PORT` (one started by hand, or the test suite's): that one;
 *   4. else DynamoDB Local started on the data folder for the command's duration, the folder locked
 *      meanwhile (so an `npm start` refuses it until the command ends).
 */
export async function openTarget(options: TargetOptions): Promise<Target> {
  if (options.stack) return openStack(options.stack, options.region, options.localTable);
  const table = options.localTable ?? LOCAL_TABLE;
  const dataDir = options.dataDir ?? process.env.CITYGRID_DATA_DIR ?? join(REPO_ROOT, '.data');
  const held = await readDataLock(dataDir);
  if (held && (held.ownerAlive || held.dynamoAlive)) {
    if (held.lock.owner !== 'npm start' || !held.ownerAlive) throw new DataFolderBusyError(describeBusy(dataDir, held));
    const running = `http://127.0.0.1:${held.lock.dynamoPort}`;
    // npm start may still be starting (java takes a few seconds): wait for its DynamoDB Local.
    if (!(await answers(running, options.waitForPlatformMs ?? 90_000))) {
      throw new DataFolderBusyError(`npm start (pid ${held.lock.pid}) holds ${dataDir}, but its DynamoDB Local does not answer on ${running}. Wait until it has started, or stop it, and try again.`);
    }
    await ensureTable(running, table);
    const target = localTarget(running, table, `local table ${table} (the running npm start's DynamoDB Local on ${running}, data folder ${dataDir})`, async () => {}, dataDir, held.lock.s3Endpoint);
    return { ...target, liveEvents: `npm start (pid ${held.lock.pid}) runs the event processor on this table: stop npm start first, restore, then start it again (it reads the table's stream from then on)` };
  }
  const endpoint = `http://127.0.0.1:${options.dynamoPort}`;
  if (await answers(endpoint)) {
    await ensureTable(endpoint, table);
    return localTarget(endpoint, table, `local table ${table} (the running DynamoDB Local on ${endpoint})`, async () => {}, dataDir);
  }
  mkdirSync(dataDir, { recursive: true });
  const lock = await acquireDataLock(dataDir, { owner: 'city CLI', dynamoPort: options.dynamoPort });
  let dynamo: DynamoDbLocal;
  try {
    dynamo = await startDynamoDbLocal({ port: options.dynamoPort, dbPath: join(dataDir, 'dynamodb') });
  } catch (error) {
    lock.release();
    throw error;
  }
  lock.update({ dynamoPid: dynamo.pid });
  const stop = async () => {
    try {
      await dynamo.stop();
    } finally {
      lock.release();
    }
  };
  try {
    await ensureTable(dynamo.endpoint, table);
  } catch (error) {
    await stop();
    throw error;
  }
  const target = localTarget(dynamo.endpoint, table, `local table ${table} (DynamoDB Local on ${dataDir}, started for this command)`, stop, dataDir);
  // npm start resumes its stream reader where it stopped (infra/local/streams.ts): without the saved
  // positions it reads from its start on, so the restored items' stream records are not acted on.
  return { ...target, afterRestore: () => rmSync(join(dataDir, STREAM_POSITIONS_FILE), { force: true }) };
}

/** Where npm start keeps its stream reader's positions (infra/local/platform.ts). */
const STREAM_POSITIONS_FILE = 'stream-positions.json';

/** Whether a DynamoDB answers on `endpoint`, trying for up to `waitMs` (one try when 0). */
async function answers(endpoint: string, waitMs = 0): Promise<boolean> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
        return true;
      } catch {
        if (Date.now() >= deadline) return false;
        await new Promise((done) => setTimeout(done, 250));
      }
    }
  } finally {
    client.destroy();
  }
}

function localTarget(endpoint: string, table: string, description: string, stop: () => Promise<void>, dataDir?: string, s3Endpoint?: string): Target {
  // DynamoDB Local accepts any key; fixed ones keep the default chain (and a real profile) out of it.
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const client = createDocumentClient({ region: 'us-east-1', endpoint });
  // s3rver checks signatures against its fixed credentials.
  const s3 = s3Endpoint ? new S3Client({ region: 'us-east-1', endpoint: s3Endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }) : undefined;
  return {
    db: { client, name: table },
    description,
    anchors: s3 && { bucket: LOCAL_ANCHOR_BUCKET, client: s3 },
    // The same secret npm start uses (`local.env` of the data folder), so the CLI and the API write one chain.
    auditKey: async () => auditKeyOf(loadLocalSecrets(dataDir ?? process.env.CITYGRID_DATA_DIR ?? join(REPO_ROOT, '.data')).AUDIT_SECRET),
    async close() {
      client.destroy();
      s3?.destroy();
      await stop();
    },
  };
}

/**
 * The deployed table, from the stack's `TableName` output (region: `--region` or the default chain's).
 * With `otherTable`: that table in the stack's account and region instead (created from the table
 * definition when missing), a table no event processor reads yet — where `restore` writes.
 */
export async function openStack(stackName: string, region?: string, otherTable?: string): Promise<Target> {
  const cloudFormation = new CloudFormationClient(region ? { region } : {});
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const tableName = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === TABLE_OUTPUT)?.OutputValue;
    if (!tableName) throw new Error(`Stack ${stackName} has no ${TABLE_OUTPUT} output: deploy this version of CityGrid first`);
    const resolvedRegion = await cloudFormation.config.region();
    const client = createDocumentClient({ region: resolvedRegion });
    const secretArn = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === AUDIT_SECRET_OUTPUT)?.OutputValue;
    const auditKey = () => loadAuditKey({ AUDIT_SECRET_ARN: secretArn, AWS_REGION: resolvedRegion });
    const anchorBucket = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === AUDIT_ANCHOR_OUTPUT)?.OutputValue;
    const s3 = anchorBucket ? new S3Client({ region: resolvedRegion }) : undefined;
    const anchors = s3 && anchorBucket ? { bucket: anchorBucket, client: s3 } : undefined;
    const close = async () => {
      client.destroy();
      s3?.destroy();
    };
    if (otherTable && otherTable !== tableName) {
      await createTableIfMissing(client, otherTable);
      return { db: { client, name: otherTable }, description: `table ${otherTable} in the account and region of stack ${stackName} (${resolvedRegion}), not the stack's`, auditKey, close };
    }
    return {
      db: { client, name: tableName },
      description: `table ${tableName} of stack ${stackName} (${resolvedRegion})`,
      auditKey,
      anchors,
      liveEvents: `the event processor of stack ${stackName} reads this table's stream: restore into a new table (--table NAME, created from the table definition) and point the stack at it (docs/operations.md, "Restore")`,
      close,
    };
  } finally {
    cloudFormation.destroy();
  }
}

async function createTableIfMissing(client: DynamoDBDocumentClient, name: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(name)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  // The document client is a DynamoDB client with marshalling added: the waiter's DescribeTable goes through as is.
  await waitUntilTableExists({ client: client as unknown as DynamoDBClient, maxWaitTime: 600 }, { TableName: name });
}
