import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';
import { ensureTable, startDynamoDbLocal } from '#infra/local/dynamodb';

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The output of the stack that names its table (`infra/stacks/citygrid-stack.ts`). */
export const TABLE_OUTPUT = 'TableName';
/** The local platform's table (`npm start`). */
export const LOCAL_TABLE = 'citygrid-local';

export interface Target {
  db: Table;
  /** Where the CLI writes, for its messages: `local table citygrid-local (http://…)` or `stack …`. */
  description: string;
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
  /** Local: the table (`citygrid-local`, the one `npm start` uses). */
  localTable?: string | undefined;
}

/**
 * Opens the table the CLI works on.
 * - `--stack NAME`: the deployed table named by the stack's `TableName` output.
 * - otherwise the local platform's table: through the running `npm start`'s DynamoDB Local when one
 *   answers on the port, or by starting DynamoDB Local on `npm start`'s data folder (`CITYGRID_DATA_DIR`,
 *   else `.data/`) for the command's duration (two engines on one data folder would corrupt it, hence the
 *   probe first).
 */
export async function openTarget(options: TargetOptions): Promise<Target> {
  if (options.stack) return openStack(options.stack, options.region);
  const table = options.localTable ?? LOCAL_TABLE;
  const endpoint = `http://127.0.0.1:${options.dynamoPort}`;
  if (await answers(endpoint)) {
    await ensureTable(endpoint, table);
    return localTarget(endpoint, table, `local table ${table} (the running DynamoDB Local on ${endpoint})`, async () => {});
  }
  const dataDir = options.dataDir ?? process.env.CITYGRID_DATA_DIR ?? join(REPO_ROOT, '.data');
  const dynamo = await startDynamoDbLocal({ port: options.dynamoPort, dbPath: join(dataDir, 'dynamodb') });
  try {
    await ensureTable(dynamo.endpoint, table);
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  return localTarget(dynamo.endpoint, table, `local table ${table} (DynamoDB Local on ${dataDir}, started for this command)`, dynamo.stop);
}

async function answers(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

function localTarget(endpoint: string, table: string, description: string, stop: () => Promise<void>): Target {
  // DynamoDB Local accepts any key; fixed ones keep the default chain (and a real profile) out of it.
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const client = createDocumentClient({ region: 'us-east-1', endpoint });
  return {
    db: { client, name: table },
    description,
    async close() {
      client.destroy();
      await stop();
    },
  };
}

/** The deployed table, from the stack's `TableName` output (region: `--region` or the default chain's). */
export async function openStack(stackName: string, region?: string): Promise<Target> {
  const cloudFormation = new CloudFormationClient(region ? { region } : {});
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const tableName = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === TABLE_OUTPUT)?.OutputValue;
    if (!tableName) throw new Error(`Stack ${stackName} has no ${TABLE_OUTPUT} output: deploy this version of CityGrid first`);
    const resolvedRegion = await cloudFormation.config.region();
    const client = createDocumentClient({ region: resolvedRegion });
    return {
      db: { client, name: tableName },
      description: `table ${tableName} of stack ${stackName} (${resolvedRegion})`,
      async close() {
        client.destroy();
      },
    };
  } finally {
    cloudFormation.destroy();
  }
}
