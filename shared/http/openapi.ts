import * as z from '#shared/validation/zod';
import type { RouteEntry } from '#shared/contract/index';

type JsonSchema = Record<string, unknown>;

/** The deployed OpenAPI function's document, written beside its bundle at synth (infra/constructs/api.ts). */
export const PREBUILT_OPENAPI_FILE = 'openapi.json';

/**
 * Generates the OpenAPI 3.1 document from the route table and its zod schemas (JSON Schema 2020-12,
 * which OpenAPI 3.1 uses as is). Schemas named with `.meta({ id })` become `components.schemas`.
 */
export function buildOpenApi(routes: RouteEntry[], options: { deployed: boolean }) {
  const components: Record<string, JsonSchema> = {};
  const toSchema = (schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema => {
    const id = z.globalRegistry.get(schema)?.id;
    const { $schema: _drop, $defs, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
    for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) components[name] ??= rewriteRefs(def);
    if (id) {
      const { id: _id, ...rest } = json;
      components[id] ??= rewriteRefs(rest);
      return { $ref: `#/components/schemas/${id}` };
    }
    return rewriteRefs(json);
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.path === '$default' || (options.deployed && route.access === 'local')) continue;
    // A greedy `{proxy+}` is one parameter holding the rest of the path (OpenAPI has no greedy form).
    const path = route.path.replace(/\{(\w+)\+\}/g, '{$1}');
    const parameters = [
      ...[...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: paramSchema(route.request?.params, m[1]!, toSchema) })),
      ...queryParameters(route.request?.query, toSchema),
    ];
    const operation: Record<string, unknown> = {
      operationId: route.id,
      summary: route.summary,
      tags: [route.tag],
      ...(Array.isArray(route.access) ? { security: [{ bearerAuth: [] }], 'x-roles': route.access } : { security: [] }),
      ...(route.access === 'signed' ? { 'x-signed': 'Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)' } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...((route.request?.body ?? route.documentedBody)
        ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema((route.request?.body ?? route.documentedBody)!, 'input') } } } }
        : {}),
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.schema
              ? { content: { [response.contentType ?? 'application/json']: { schema: toSchema(response.schema, 'output') } } }
              : {}),
          },
        ]),
      ),
    };
    // `ANY` (a facade routing inside its function) is documented as the methods it answers: GET and POST.
    if (route.method === 'ANY') {
      (paths[path] ??= {}).get = operation;
      paths[path].post = { ...operation, operationId: `${route.id}Post` };
    } else (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'CityGrid API',
      version: '1.0.0',
      description: 'Digital urban management (数字城管): report, file, dispatch, handle, verify and close city cases.',
    },
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

function queryParameters(query: z.core.$ZodType | undefined, toSchema: (s: z.core.$ZodType, io: 'input') => JsonSchema) {
  if (!query) return [];
  const json = toSchema(query, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.has(name) && schema.default === undefined, schema }));
}

function paramSchema(params: z.core.$ZodType | undefined, name: string, toSchema: (s: z.core.$ZodType, io: 'input') => JsonSchema) {
  const properties = (params ? toSchema(params, 'input').properties : undefined) as Record<string, JsonSchema> | undefined;
  return properties?.[name] ?? { type: 'string' };
}

/** zod writes local `#/$defs/X` references; in the document they live under components. */
function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(rewriteRefs) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(v)]),
    ) as T;
  }
  return value;
}
