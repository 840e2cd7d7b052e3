import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '#infra/local/dynamodb';
import { freePort } from '#infra/local/ports';
import { createDocumentClient } from '#shared/data/client';

/**
 * What `kill -9` leaves of DynamoDB Local's data folder: every write it acknowledged. DynamoDB Local
 * answers a TransactWriteItems before its SQLite COMMIT has run (the COMMIT is queued on its database
 * thread); the project's document client waits for that commit locally (shared/data/client.ts), so the
 * last acknowledged transaction survives too. Its own DynamoDB Local on a data folder, killed with
 * SIGKILL right after the last answer, started again on the same folder.
 */
describe('DynamoDB Local durability (kill -9)', () => {
  it('keeps every acknowledged write, the last transaction included', { timeout: 300_000 }, async () => {
    const dbPath = mkdtempSync(join(tmpdir(), 'citygrid-durable-'));
    const port = await freePort();
    const tableName = 'durability';
    let dynamo: DynamoDbLocal | undefined;
    try {
      dynamo = await startDynamoDbLocal({ port, dbPath });
      await ensureTable(dynamo.endpoint, tableName);
      const client = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
      const count = 50;
      for (let i = 0; i < count; i++) {
        // As a filing writes: several items in one transaction; and a single put between them.
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: tableName, Item: { pk: `tx#${i}`, sk: 'case' } } },
              { Put: { TableName: tableName, Item: { pk: `tx#${i}`, sk: 'event' } } },
            ],
          }),
        );
        await client.send(new PutCommand({ TableName: tableName, Item: { pk: `put#${i}`, sk: 'item' } }));
        await client.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: tableName, Item: { pk: `last#${i}`, sk: 'item' } } }] }));
      }
      client.destroy();
      // kill -9 of DynamoDB Local's java right after its last answer.
      process.kill(dynamo.pid!, 'SIGKILL');
      await dynamo.stop();
      dynamo = undefined;

      dynamo = await startDynamoDbLocal({ port, dbPath });
      const reader = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
      const missing: string[] = [];
      for (let i = 0; i < count; i++) {
        for (const [pk, sk] of [[`tx#${i}`, 'case'], [`tx#${i}`, 'event'], [`put#${i}`, 'item'], [`last#${i}`, 'item']] as const) {
          const { Item } = await reader.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }));
          if (!Item) missing.push(`${pk}/${sk}`);
        }
      }
      reader.destroy();
      expect(missing).toEqual([]);
    } finally {
      await dynamo?.stop();
      rmSync(dbPath, { recursive: true, force: true });
    }
  });
});
