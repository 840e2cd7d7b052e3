import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ENTITY_ATTRIBUTE, VERSION_ATTRIBUTE, fieldsOf, fromStored, isOf, partitionValue, primaryKey, sortBound, sortPrefix, storedValue, toStored, type AnyModel, type IndexOf, type ItemOf } from './model.ts';

/** The single table a store works on: the document client (module scope in a function) and its name. */
export interface Table {
  client: DynamoDBDocumentClient;
  name: string;
}

/**
 * Attribute names and values of one request's expressions. A condition is a function of it, so that
 * conditions and updates written separately share one set of placeholders.
 */
export class Expr {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  #next = 0;

  name(attribute: string): string {
    const base = `#${attribute.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let placeholder = base;
    // Two attributes that read alike once cleaned (`a-b`, `a_b`) get distinct placeholders.
    for (let n = 1; this.names[placeholder] !== undefined && this.names[placeholder] !== attribute; n++) placeholder = `${base}_${n}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  value(value: unknown): string {
    const placeholder = `:v${this.#next++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  eq = (attribute: string, value: unknown) => `${this.name(attribute)} = ${this.value(value)}`;
  ne = (attribute: string, value: unknown) => `${this.name(attribute)} <> ${this.value(value)}`;
  lt = (attribute: string, value: unknown) => `${this.name(attribute)} < ${this.value(value)}`;
  lte = (attribute: string, value: unknown) => `${this.name(attribute)} <= ${this.value(value)}`;
  gt = (attribute: string, value: unknown) => `${this.name(attribute)} > ${this.value(value)}`;
  exists = (attribute: string) => `attribute_exists(${this.name(attribute)})`;
  notExists = (attribute: string) => `attribute_not_exists(${this.name(attribute)})`;
  contains = (attribute: string, value: unknown) => `contains(${this.name(attribute)}, ${this.value(value)})`;

  /** The request's `ExpressionAttributeNames`/`Values`, left out when empty (DynamoDB rejects empty maps). */
  attributes() {
    return {
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

/** A condition or filter: written with the request's {@link Expr} (e.g. `(x) => x.eq('version', 3)`). */
export type Condition = (x: Expr) => string;

/** Conditions joined with AND (empty ones skipped); `undefined` when none is left. */
export const allOf =
  (...conditions: Array<Condition | undefined | false>): Condition | undefined => {
    const parts = conditions.filter((c): c is Condition => Boolean(c));
    return parts.length ? (x) => parts.map((c) => `(${c(x)})`).join(' AND ') : undefined;
  };

/** Changes of an update: SET (`undefined` values are skipped), ADD (numbers), REMOVE. */
export interface Changes<T> {
  set?: Partial<T> & Record<string, unknown>;
  add?: Partial<Record<Extract<keyof T, string>, number>>;
  remove?: Array<Extract<keyof T, string>>;
  if?: Condition | undefined;
  /** Only an existing item is updated (otherwise the update creates it). */
  mustExist?: boolean;
}

// The document client's input shapes of a transaction's writes (also sent alone).
type PutInput = { TableName: string; Item: Record<string, unknown>; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> };
type UpdateInput = { TableName: string; Key: Record<string, unknown>; UpdateExpression: string; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> };
type DeleteInput = { TableName: string; Key: Record<string, unknown>; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> };
type CheckInput = { TableName: string; Key: Record<string, unknown>; ConditionExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> };
/** One write of a transaction (or a single write); a `ConditionCheck` only in a transaction. */
export type Write = { Put: PutInput } | { Update: UpdateInput } | { Delete: DeleteInput } | { ConditionCheck: CheckInput };

const conditionOf = (x: Expr, condition: Condition | undefined) => (condition ? { ConditionExpression: condition(x) } : {});

/** Writes, built for a transaction or sent alone with {@link send}. */
export const write = {
  /** The whole item (replacing a stored one); `create` only when none is stored. */
  put<M extends AnyModel>(table: Table, model: M, item: ItemOf<M>, options: { if?: Condition | undefined; create?: boolean } = {}): Write {
    const x = new Expr();
    const created: Condition | undefined = options.create ? (e) => `${e.notExists('pk')} AND ${e.notExists('sk')}` : undefined;
    const condition = allOf(created, options.if);
    return { Put: { TableName: table.name, Item: toStored(model, item), ...conditionOf(x, condition), ...x.attributes() } };
  },

  /** Changes to one item; the item's key parts and entity are set too, so that an upsert creates a whole item. */
  update<M extends AnyModel>(table: Table, model: M, key: Partial<ItemOf<M>>, changes: Changes<ItemOf<M>>): Write {
    const x = new Expr();
    const assigned = Object.entries({ ...(changes.set ?? {}), ...key, [ENTITY_ATTRIBUTE]: model.entity, [VERSION_ATTRIBUTE]: '1' }).filter(([, value]) => value !== undefined);
    // An empty string set cannot be stored: the attribute is removed instead (as a put leaves it out).
    const emptied = assigned.filter(([name, value]) => storedValue(model, name, value) instanceof Set && (value as unknown[]).length === 0).map(([name]) => name);
    const sets = assigned.filter(([name]) => !emptied.includes(name)).map(([name, value]) => `${x.name(name)} = ${x.value(storedValue(model, name, value))}`);
    const adds = Object.entries(changes.add ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${x.name(name)} ${x.value(value)}`);
    const removes = [...(changes.remove ?? []), ...emptied].map((name) => x.name(name));
    const expression = [`SET ${sets.join(', ')}`, adds.length ? `ADD ${adds.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
    const existing: Condition | undefined = changes.mustExist ? (e) => `${e.exists('pk')} AND ${e.exists('sk')}` : undefined;
    const condition = allOf(existing, changes.if);
    return { Update: { TableName: table.name, Key: primaryKey(model, key), UpdateExpression: expression, ...conditionOf(x, condition), ...x.attributes() } };
  },

  delete<M extends AnyModel>(table: Table, model: M, key: Partial<ItemOf<M>>, options: { if?: Condition | undefined } = {}): Write {
    const x = new Expr();
    return { Delete: { TableName: table.name, Key: primaryKey(model, key), ...conditionOf(x, options.if), ...x.attributes() } };
  },

  /** A condition on another item that the transaction holds without changing it (transactions only). */
  check<M extends AnyModel>(table: Table, model: M, key: Partial<ItemOf<M>>, condition: Condition): Write {
    const x = new Expr();
    return { ConditionCheck: { TableName: table.name, Key: primaryKey(model, key), ConditionExpression: condition(x), ...x.attributes() } };
  },
};

/** Sends one write alone; a failed condition throws (`isConditionFailure`). */
export async function send(table: Table, one: Write): Promise<void> {
  if ('Put' in one) await table.client.send(new PutCommand(one.Put));
  else if ('Update' in one) await table.client.send(new UpdateCommand(one.Update));
  else if ('Delete' in one) await table.client.send(new DeleteCommand(one.Delete));
  else throw new Error('A ConditionCheck is sent in a transaction, not alone');
}

/** Applies an update and returns the whole item after it. */
export async function updateAndGet<M extends AnyModel>(table: Table, model: M, key: Partial<ItemOf<M>>, changes: Changes<ItemOf<M>>): Promise<ItemOf<M>> {
  const { Update } = write.update(table, model, key, changes) as { Update: UpdateInput };
  const { Attributes } = await table.client.send(new UpdateCommand({ ...Update, ReturnValues: 'ALL_NEW' }));
  return fromStored(model, Attributes ?? {});
}

export async function get<M extends AnyModel>(table: Table, model: M, key: Partial<ItemOf<M>>, options: { consistent?: boolean } = {}): Promise<ItemOf<M> | undefined> {
  const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: primaryKey(model, key), ...(options.consistent ? { ConsistentRead: true } : {}) }));
  return Item && isOf(model, Item) ? fromStored(model, Item) : undefined;
}

/** Several items by key (100 per request, unprocessed keys asked again); missing ones are left out. */
export async function getMany<M extends AnyModel>(table: Table, model: M, keys: Array<Partial<ItemOf<M>>>, options: { consistent?: boolean } = {}): Promise<Array<ItemOf<M>>> {
  const found: Array<ItemOf<M>> = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Array<Record<string, unknown>> | undefined = keys.slice(i, i + 100).map((k) => primaryKey(model, k));
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const result: { Responses?: Record<string, Array<Record<string, unknown>>>; UnprocessedKeys?: Record<string, { Keys?: Array<Record<string, unknown>> }> } = await table.client.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } } }));
      for (const item of result.Responses?.[table.name] ?? []) if (isOf(model, item)) found.push(fromStored(model, item));
      pending = result.UnprocessedKeys?.[table.name]?.Keys;
    }
  }
  return found;
}

/** Puts many items (25 per request, unprocessed ones sent again); no conditions. */
export async function putMany<M extends AnyModel>(table: Table, model: M, items: Array<ItemOf<M>>): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending: Array<{ PutRequest?: { Item: Record<string, unknown> } }> | undefined = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: toStored(model, item) } }));
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const result: { UnprocessedItems?: Record<string, unknown> } = await table.client.send(new BatchWriteCommand({ RequestItems: { [table.name]: pending as never } }));
      pending = result.UnprocessedItems?.[table.name] as typeof pending;
    }
  }
}

const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** Math.min(attempt, 6)));

/** A page position as the stores hand it out (inside the sealed API cursor): the last key read, base64url JSON. */
const encodeCursor = (key: Record<string, unknown> | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);

/** Reads a page position back; one that is not a key of this query is a 400, not a 500 (`withCursor`). */
function decodeCursor(cursor: string, keyFields: string[]): Record<string, unknown> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new Error('Invalid cursor: not a start key');
  }
  const valid = key && typeof key === 'object' && !Array.isArray(key) && keyFields.every((f) => typeof (key as Record<string, unknown>)[f] === 'string') && Object.values(key).every((v) => typeof v === 'string');
  if (!valid) throw new Error('Invalid cursor: not a start key of this list');
  return key as Record<string, unknown>;
}

export interface QueryOptions {
  /** Sort key range on the index's sort key parts (the bounds' leading parts), instead of a prefix. */
  between?: [Record<string, unknown>, Record<string, unknown>];
  order?: 'asc' | 'desc';
  /** Items per page; absent: DynamoDB's 1 MB pages. */
  limit?: number;
  cursor?: string | undefined;
  /** Read every page (the cursor then is always absent). */
  all?: boolean;
  filter?: Condition | undefined;
  consistent?: boolean;
}

/**
 * A Query on one of the model's indexes: the partition of the given parts, the sort keys starting with
 * the given leading sort parts (or between two bounds), this entity's items only.
 */
export async function query<M extends AnyModel>(table: Table, model: M, indexName: IndexOf<M>, parts: Partial<ItemOf<M>>, options: QueryOptions = {}): Promise<{ items: Array<ItemOf<M>>; cursor?: string }> {
  const spec = model.indexes[indexName]!;
  const fields = fieldsOf(spec);
  const x = new Expr();
  const pk = `${x.name(fields.pk)} = ${x.value(partitionValue(model, spec, parts))}`;
  const sk = options.between
    ? `${x.name(fields.sk)} BETWEEN ${x.value(sortBound(model, spec, options.between[0]))} AND ${x.value(sortBound(model, spec, options.between[1]))}`
    : `begins_with(${x.name(fields.sk)}, ${x.value(sortPrefix(model, spec, parts))})`;
  const filter = options.filter?.(x);
  const keyFields = [fieldsOf({}).pk, fieldsOf({}).sk, ...(spec.index ? [fields.pk, fields.sk] : [])];
  let start = options.cursor ? decodeCursor(options.cursor, keyFields) : undefined;
  const items: Array<ItemOf<M>> = [];
  do {
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        ...(spec.index ? { IndexName: spec.index } : {}),
        KeyConditionExpression: `${pk} AND ${sk}`,
        ...(filter ? { FilterExpression: filter } : {}),
        ...x.attributes(),
        ...(options.order === 'desc' ? { ScanIndexForward: false } : {}),
        ...(options.limit ? { Limit: options.limit } : {}),
        ...(options.consistent ? { ConsistentRead: true } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) if (isOf(model, item)) items.push(fromStored(model, item));
    start = page.LastEvaluatedKey;
  } while (start && options.all);
  const cursor = encodeCursor(start);
  return { items, ...(cursor ? { cursor } : {}) };
}

/**
 * The items of several entities that share a partition and a sort key prefix (a collection: a case and
 * its timeline), every page, grouped by entity.
 */
export async function queryCollection(table: Table, partition: { model: AnyModel; parts: Record<string, unknown> }, collection: string, options: { consistent?: boolean } = {}): Promise<Array<Record<string, unknown>>> {
  const spec = Object.values(partition.model.indexes).find((i) => i.collection === collection);
  if (!spec) throw new Error(`${partition.model.entity} is not in collection ${collection}`);
  const fields = fieldsOf(spec);
  const x = new Expr();
  const condition = `${x.name(fields.pk)} = ${x.value(partitionValue(partition.model, spec, partition.parts))} AND begins_with(${x.name(fields.sk)}, ${x.value(`$${collection}`.toLowerCase())})`;
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new QueryCommand({ TableName: table.name, ...(spec.index ? { IndexName: spec.index } : {}), KeyConditionExpression: condition, ...x.attributes(), ...(options.consistent ? { ConsistentRead: true } : {}), ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const severity = (code: string | undefined) => (code === 'ConditionalCheckFailed' ? 3 : code && code !== 'None' ? 2 : code === 'None' ? 1 : 0);

/** Why each named write of a cancelled transaction failed (`ConditionalCheckFailed`, `TransactionConflict`, `None`). */
export type TransactionOutcome<K extends string = string> = { canceled: false } | { canceled: true; codes: Record<K, string | undefined> };

/**
 * Writes all or nothing. The writes are named, and a cancelled transaction answers per name (DynamoDB
 * answers by position; the names keep callers from counting). Any other error is thrown.
 */
export async function transact<K extends string>(table: Table, writes: ReadonlyArray<readonly [K, Write]>): Promise<TransactionOutcome<K>> {
  try {
    await table.client.send(new TransactWriteCommand({ TransactItems: writes.map(([, w]) => w) }));
    return { canceled: false };
  } catch (error) {
    const reasons = (error as { name?: string; CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
    if ((error as { name?: string }).name !== 'TransactionCanceledException' || !reasons) throw error;
    const codes = {} as Record<K, string | undefined>;
    writes.forEach(([name], i) => {
      const code = reasons[i]?.Code;
      // Several writes may share a name (the photos of a case): a failed condition outranks contention,
      // which outranks none, so that one photo's conflict cannot hide another's failed condition.
      if (severity(code) > severity(codes[name])) codes[name] = code;
    });
    return { canceled: true, codes };
  }
}
