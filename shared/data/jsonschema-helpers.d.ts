/** The part of jsonschema's internal helpers that `model-validation.ts` memoizes (jsonschema 1.5.0). */
declare module 'jsonschema/lib/helpers.js' {
  interface SchemaContext {
    path: Array<string | number>;
    base: string;
    options: unknown;
    schemas: Record<string, unknown>;
  }
  const helpers: {
    resolveUrl: (from: string | undefined, to: string) => string;
    SchemaContext: {
      new (schema: object, options: unknown, path: Array<string | number>, base: string, schemas: Record<string, unknown>): SchemaContext;
      prototype: SchemaContext & { makeChild: (this: SchemaContext, schema: { $id?: string; id?: string }, propertyName?: string | number) => SchemaContext };
    };
  };
  export default helpers;
}
