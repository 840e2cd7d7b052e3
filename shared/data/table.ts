/**
 * THE single-table definition. The CDK stateful construct, the local platform's bootstrap and the tests
 * all build the table from this one constant, so the key shape is written exactly once.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /**
   * Global secondary indexes, all projecting ALL attributes, all overloaded (the key's prefix names the
   * access pattern) and sparse (an item carries an index's keys only when it belongs in a list there):
   * - gsi1: a reporter's cases newest first; a department's staff; a person's followed cases.
   * - gsi2: the status queue, oldest first.
   * - gsi3: a department's queue by status.
   * - gsi4 (second wave, exact lookups): a case by its number (`caseNumber` on the case entity); a
   *   supervisor's open field checks by due time (field-check entity); the staff directory by name
   *   (user entity); API keys. One access pattern per entity on each index.
   * - gsi5 (second wave): open cases by geohash (ranges of cells), for nearness (case entity; sparse:
   *   open cases with a location only).
   * - gsi6 (second wave): cases by the day they were reported (case entity), for Open311 lists and
   *   exports by date.
   * - gsi7 (second wave): urgent cases by status (case entity; sparse: urgent ones only), read before
   *   the ordinary queue so urgent cases come first.
   * - gsi8, gsi9 (third wave): a department's subtree queue (case entity; sparse: assigned cases only):
   *   the cases held by a level-1 department or anywhere below it (gsi8), by a level-2 department or
   *   below it (gsi9), by status like gsi3 (a level-3 department has no subtree: gsi3 is its queue).
   * CloudFormation adds at most one GSI per stack update: a deployed table gets them one deploy at a time
   * (docs/operations.md); the local platform adds missing ones to an existing `.data/` table.
   */
  indexes: {
    gsi1: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    gsi2: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    gsi3: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    gsi4: { partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
    gsi5: { partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
    gsi6: { partitionKey: 'gsi6pk', sortKey: 'gsi6sk' },
    gsi7: { partitionKey: 'gsi7pk', sortKey: 'gsi7sk' },
    gsi8: { partitionKey: 'gsi8pk', sortKey: 'gsi8sk' },
    gsi9: { partitionKey: 'gsi9pk', sortKey: 'gsi9sk' },
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
    GlobalSecondaryIndexes: indexNames.map(indexInput),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.stream },
  };
}

/** One GSI's `CreateTable`/`UpdateTable` shape. */
export function indexInput(name: IndexName) {
  return {
    IndexName: name,
    KeySchema: [
      { AttributeName: TABLE.indexes[name].partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.indexes[name].sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  };
}
