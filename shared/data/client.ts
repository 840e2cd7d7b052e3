import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoSettings {
  region: string;
  /** DynamoDB Local's URL; absent in the cloud. */
  endpoint?: string;
}

let roundTrips = 0;

/** DynamoDB requests sent by this process's document clients so far (benches count them per operation). */
export const dynamoRoundTrips = () => roundTrips;

/** A lib-dynamodb document client (undefined attributes dropped: an absent optional attribute is not stored). */
export function createDocumentClient(settings: DynamoSettings): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
  client.middlewareStack.add((next) => async (args) => {
    roundTrips++;
    return next(args);
  }, { step: 'initialize', name: 'citygridRoundTripCounter' });
  if (settings.endpoint) addCommitBarrier(client, settings);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * DynamoDB Local only. It answers a `TransactWriteItems` before the transaction is committed: its
 * `commitTransaction` queues the SQLite `COMMIT` on its one database thread and returns without waiting
 * (DynamoDBLocal.jar, `SQLiteDBAccess.commitTransaction`), so a `kill -9` right after the answer loses
 * an acknowledged transaction (a filing back to `reported`). Other writes wait for their own commit.
 * After each successful transaction this sends a `ListTables`: it waits for the transaction's lock and
 * runs on the same database thread after the `COMMIT`, so once it returns the transaction is in the
 * file. One extra local round trip per transaction, not counted in {@link dynamoRoundTrips}.
 */
function addCommitBarrier(client: DynamoDBClient, settings: DynamoSettings): void {
  let barrier: DynamoDBClient | undefined;
  client.middlewareStack.add((next, context) => async (args) => {
    const result = await next(args);
    if (context.commandName === 'TransactWriteItemsCommand') {
      barrier ??= new DynamoDBClient({ region: settings.region, endpoint: settings.endpoint!, credentials: () => client.config.credentials() });
      await barrier.send(new ListTablesCommand({ Limit: 1 }));
    }
    return result;
  }, { step: 'initialize', name: 'citygridLocalCommitBarrier' });
}
