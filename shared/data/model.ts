import { TABLE, type IndexName } from './table.ts';

/**
 * The single table's key scheme: how an item of each kind ("entity") gets its primary key and the keys
 * of the secondary indexes it belongs to. The format is the one ElectroDB 3 wrote when the table was
 * first deployed, kept byte for byte so that stored items stay readable without a migration
 * (`test/unit/item-keys.test.ts` pins it):
 * - partition key: `$citygrid#attr_value#attr_value` (`$citygrid` alone when it has no parts);
 * - sort key: `$entity_1#attr_value…`, or `$collection#entity_1#…` on an index whose items are read
 *   together with another entity's (a case and its timeline: `caseDetail`);
 * - the whole key is lower-cased; numbers with a padding are left-padded with zeros;
 * - every item carries its entity and version (`__edb_e__`, `__edb_v__`), which the stream readers match.
 * A sparse index (`when`) keys only the items it applies to.
 */
export const SERVICE = 'citygrid';
const VERSION = '1';
export const ENTITY_ATTRIBUTE = '__edb_e__';
export const VERSION_ATTRIBUTE = '__edb_v__';

type Attribute<T> = Extract<keyof T, string>;

export interface IndexSpec<T> {
  /** The secondary index; absent for the table's own key. */
  index?: IndexName;
  pk: readonly Attribute<T>[];
  sk: readonly Attribute<T>[];
  /** Items of several entities read by one Query share this prefix of the sort key. */
  collection?: string;
  /** Sparse indexes: whether the item belongs on the index (all items do when absent). */
  when?: (item: T) => boolean;
}

export interface Model<T, I extends Record<string, IndexSpec<T>> = Record<string, IndexSpec<T>>> {
  entity: string;
  indexes: I;
  /** Numeric key parts padded to a fixed width (so that they sort as numbers). */
  padding?: Partial<Record<Attribute<T>, number>>;
  /** Attributes stored as DynamoDB string sets (arrays in code). */
  sets?: readonly Attribute<T>[];
}

/** Declares an entity's keys; `T` is the stored item without its keys. */
export const defineModel =
  <T>() =>
  <I extends Record<string, IndexSpec<T>>>(model: Model<T, I>): Model<T, I> =>
    model;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySpec = IndexSpec<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, Record<string, IndexSpec<any>>>;
export type ItemOf<M> = M extends Model<infer T, infer _I> ? T : never;
export type IndexOf<M> = M extends Model<infer _T, infer I> ? Extract<keyof I, string> : never;

/** The key attributes an index writes (`pk`/`sk` for the table's own key). */
export function fieldsOf(spec: { index?: IndexName | undefined }): { pk: string; sk: string } {
  if (!spec.index) return { pk: TABLE.partitionKey, sk: TABLE.sortKey };
  const { partitionKey, sortKey } = TABLE.indexes[spec.index];
  return { pk: partitionKey, sk: sortKey };
}

export const primaryIndexOf = <M extends AnyModel>(model: M): IndexSpec<ItemOf<M>> => {
  const spec = Object.values(model.indexes).find((i) => !i.index);
  if (!spec) throw new Error(`${model.entity} has no primary index`);
  return spec;
};

function part(model: AnyModel, attribute: string, value: unknown): string {
  if (value === undefined || value === null) throw new Error(`${model.entity}: key part ${attribute} is missing`);
  const width = (model.padding as Record<string, number> | undefined)?.[attribute];
  const text = width ? String(value).padStart(width, '0') : String(value);
  return `#${attribute}_${text}`;
}

const skStart = (model: AnyModel, spec: AnySpec) => (spec.collection ? `$${spec.collection}#${model.entity}_${VERSION}` : `$${model.entity}_${VERSION}`);

/** The partition key value of an index for the given parts (all of them required). */
export function partitionValue(model: AnyModel, spec: AnySpec, parts: Record<string, unknown>): string {
  return `$${SERVICE}${spec.pk.map((a) => part(model, a, parts[a])).join('')}`.toLowerCase();
}

/** The full sort key value of an index (all its parts required). */
export function sortValue(model: AnyModel, spec: AnySpec, parts: Record<string, unknown>): string {
  return `${skStart(model, spec)}${spec.sk.map((a) => part(model, a, parts[a])).join('')}`.toLowerCase();
}

/**
 * A sort key prefix from the leading parts given (in the index's order): with a part missing, the
 * prefix ends with the next attribute's label (`…#createdat_`), so that it matches this entity only.
 */
export function sortPrefix(model: AnyModel, spec: AnySpec, parts: Record<string, unknown>): string {
  const next = spec.sk.find((attribute) => parts[attribute] === undefined);
  return `${sortBound(model, spec, parts)}${next ? `#${next}_`.toLowerCase() : ''}`;
}

/** A bound of a sort key range: the leading parts given, nothing after them (`…#createdat_2026-05-01t…`). */
export function sortBound(model: AnyModel, spec: AnySpec, parts: Record<string, unknown>): string {
  let bound = skStart(model, spec);
  for (const attribute of spec.sk) {
    if (parts[attribute] === undefined) break;
    bound += part(model, attribute, parts[attribute]);
  }
  return bound.toLowerCase();
}

/** The table key (`pk`, `sk`) of an item, or of its key parts. */
export function primaryKey<M extends AnyModel>(model: M, parts: Partial<ItemOf<M>>): Record<string, string> {
  const spec = primaryIndexOf(model);
  const fields = fieldsOf(spec);
  return { [fields.pk]: partitionValue(model, spec, parts), [fields.sk]: sortValue(model, spec, parts) };
}

/** Every key attribute of a whole item: the table key, the keys of the indexes it is on, its entity. */
export function keysOf<M extends AnyModel>(model: M, item: ItemOf<M>): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const spec of Object.values(model.indexes)) {
    if (spec.when && !spec.when(item)) continue;
    const fields = fieldsOf(spec);
    keys[fields.pk] = partitionValue(model, spec, item);
    keys[fields.sk] = sortValue(model, spec, item);
  }
  keys[ENTITY_ATTRIBUTE] = model.entity;
  keys[VERSION_ATTRIBUTE] = VERSION;
  return keys;
}

const KEY_ATTRIBUTES = new Set<string>([
  TABLE.partitionKey,
  TABLE.sortKey,
  ...Object.values(TABLE.indexes).flatMap((i) => [i.partitionKey, i.sortKey]),
  ENTITY_ATTRIBUTE,
  VERSION_ATTRIBUTE,
]);

/** The item as stored: its attributes (arrays of set attributes as string sets, empty sets left out) and keys. */
export function toStored<M extends AnyModel>(model: M, item: ItemOf<M>): Record<string, unknown> {
  const stored: Record<string, unknown> = { ...item };
  for (const name of model.sets ?? []) {
    const value = stored[name];
    if (Array.isArray(value)) {
      if (value.length) stored[name] = new Set(value);
      else delete stored[name];
    }
  }
  return { ...stored, ...keysOf(model, item) };
}

/** A stored value for an attribute (string sets for set attributes). */
export function storedValue(model: AnyModel, attribute: string, value: unknown): unknown {
  return (model.sets as readonly string[] | undefined)?.includes(attribute) && Array.isArray(value) ? new Set(value) : value;
}

/** The item as read: without its keys and entity marks, string sets as arrays. */
export function fromStored<M extends AnyModel>(model: M, stored: Record<string, unknown>): ItemOf<M> {
  const item: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(stored)) {
    if (KEY_ATTRIBUTES.has(name)) continue;
    item[name] = value instanceof Set ? [...value] : value;
  }
  for (const name of model.sets ?? []) item[name] ??= [];
  return item as ItemOf<M>;
}

/** Whether a stored item (or a stream image's attributes) is of this entity. */
export const isOf = (model: AnyModel, stored: Record<string, unknown>) => stored[ENTITY_ATTRIBUTE] === model.entity && stored[VERSION_ATTRIBUTE] === VERSION;
