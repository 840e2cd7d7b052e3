import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
