import helpers from 'jsonschema/lib/helpers.js';

/**
 * ElectroDB checks every entity's model against its JSON Schemas (jsonschema) when it builds the entity,
 * and checks each entity again when a Service joins it. jsonschema resolves a URL (`new URL()`, twice)
 * for every schema node it walks and every node it indexes, always the same few schema ids: that was
 * half the time of building an entity, paid on a function's first request. The resolution
 * is a pure function of its two strings, so it is remembered; results are unchanged.
 *
 * `makeChild` resolves through a function private to jsonschema's helpers, so it is replaced by the
 * same code calling the remembered one: this copies jsonschema 1.5.0 (electrodb 3.9.3 pins it exactly,
 * `test/unit/model-validation.test.ts` fails on another version and checks that models are judged alike).
 */
const resolved = new Map<string, string>();
const resolveUrl = helpers.resolveUrl;

function rememberedResolveUrl(from: string | undefined, to: string): string {
  const key = `${from}\u0000${to}`;
  let url = resolved.get(key);
  if (url === undefined) {
    url = resolveUrl(from, to);
    resolved.set(key, url);
  }
  return url;
}

const { SchemaContext } = helpers;
const makeChild = SchemaContext.prototype.makeChild;

function rememberingMakeChild(this: InstanceType<typeof SchemaContext>, schema: { $id?: string; id?: string }, propertyName?: string | number) {
  const path = propertyName === undefined ? this.path : this.path.concat([propertyName]);
  const id = schema.$id || schema.id;
  const base = rememberedResolveUrl(this.base, id || '');
  const ctx = new SchemaContext(schema, this.options, path, base, Object.create(this.schemas));
  if (id && !ctx.schemas[base]) ctx.schemas[base] = schema;
  return ctx;
}

/** Installs the memo (the default, when this module loads) or puts jsonschema's own functions back (tests compare both). */
export function rememberResolvedUrls(on: boolean): void {
  helpers.resolveUrl = on ? rememberedResolveUrl : resolveUrl;
  SchemaContext.prototype.makeChild = on ? rememberingMakeChild : makeChild;
}

if (typeof resolveUrl === 'function' && typeof makeChild === 'function') rememberResolvedUrls(true);

/** Whether the memo is installed. */
export const resolvedUrlsRemembered = () => helpers.resolveUrl === rememberedResolveUrl && SchemaContext.prototype.makeChild === rememberingMakeChild;
