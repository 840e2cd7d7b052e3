/**
 * THE single-table definition. The CDK stateful construct, the local platform's bootstrap and the tests
 * all build the table from this one constant, so the key shape is written exactly once.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Global secondary indexes, all projecting ALL attributes. */
  indexes: {
    gsi1: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    gsi2: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    gsi3: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  },
  /** Epoch seconds; DynamoDB deletes expired items lazily, so readers must check it too. */
  ttlAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
} as const;

export type IndexName = keyof typeof TABLE.indexes;

/** The `CreateTable` input for a table of this shape (local platform and tests; CDK builds its own). */
export function createTableInput(tableName: string) {
  const indexNames = Object.keys(TABLE.indexes) as IndexName[];
  const keyAttributes = [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...indexNames.flatMap((n) => [TABLE.indexes[n].partitionKey, TABLE.indexes[n].sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: indexNames.map((name) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: TABLE.indexes[name].partitionKey, KeyType: 'HASH' as const },
        { AttributeName: TABLE.indexes[name].sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.stream },
  };
}
