import * as z from '#shared/validation/zod';
import type { RouteEntry } from '#shared/contract/index';

/** The `Idempotency-Key` header of the routes that honour it (the pattern and lengths of `IdempotencyKey`). */
const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Scoped to the caller, the method and the path; only a success is remembered (24 h): the same key and body again answer the success again (on a case\'s route: the case as it is now) and act no more, another body is 409. A refused attempt may be retried with the same key; a new action takes a new key.',
  schema: { type: 'string', minLength: 8, maxLength: 128, pattern: '^[\\w.:-]+$' },
};

/** The `If-Match` header of the versioned admin writes. */
const IF_MATCH_PARAMETER = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The ETag of the item as read ("<version>"): the write is made only while the item is still at that version, else 412 PRECONDITION_FAILED naming who changed it and when. Without it the write replaces the item whatever its version (last writer wins).',
  schema: { type: 'string', pattern: '^"\\d+"$', examples: ['"3"'] },
};

/** The `ETag` response header of a versioned item. */
const ETAG_HEADER = { ETag: { description: 'The item\'s version as a strong entity tag ("<version>"): send it back as If-Match', schema: { type: 'string' } } };

type JsonSchema = Record<string, unknown>;


/**
 * Every tag of the route table, in the order the document lists them, with what its operations are
 * for (the OpenAPI linters want each operation's tag declared; a route with a new tag needs a line here).
 */
export const TAG_DESCRIPTIONS: Record<string, string> = {
  System: 'Liveness and this document.',
  Identity: 'Accounts and sessions: SMS codes, registration, login, token refresh and logout, the caller\'s own account (export, cancellation).',
  Cases: 'Reporting a problem (信息收集), the case detail with its timeline, the staff work queue and the reporter\'s own cases.',
  'Case lifecycle': 'The steps of a case from filing to closing (立案, 派遣, 处置, 核查, 结案), the requests for more time, suspension or voiding, and the rating.',
  Duplicates: 'Cases near a point before reporting, similar open cases, merging a duplicate and "me too".',
  'Field checks': 'On-site checks by the grid\'s supervisor (核实/核查) and the supervisor\'s task list.',
  Live: '实时推送: staff open a WebSocket with a single-use ticket and receive case, request, field-check, roll-call and duty messages in their scope as they happen (`{ id, type, at, caseId?, caseNumber?, departmentId?, summary }`, ids in time order); after a reconnect `missed?since=` catches up. Citizens have no live channel.',
  'On duty': '考勤 · 轨迹: supervisors and handlers start and end their duty and send track points (kept TRACK_RETENTION_DAYS); the command center lists who is on duty and replays a day. Never shown to citizens.',
  Photos: 'Presigned uploads of before and after photos.',
  'Reference data': 'Categories, departments, grids and the working calendar the other operations refer to.',
  Staff: 'The staff directory.',
  Admin: 'Administration: staff accounts, reference data, the calendar and API keys.',
  Statistics: 'Figures for the dashboard: summary, trend, departments, staff, hotspots and the CSV export.',
  Hotline: 'The 12345 hotline\'s signed tickets.',
  Open311: 'The Open311 GeoReport v2 facade for client systems.',
  Local: 'Served by the local platform only, never deployed.',
};

/** Who may call a route, in words, for its description. */
function accessSentence(access: RouteEntry['access']): string {
  if (access === 'public') return 'Public: no token needed.';
  if (access === 'signed') return 'No token: the calling system signs the request (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).';
  if (access === 'local') return 'Local platform only (never deployed).';
  return `Needs a bearer access token holding one of the roles: ${access.join(', ')}.`;
}

/** A route's description: its own (or its summary as a sentence), then who may call it. */
function operationDescription(route: RouteEntry): string {
  const text = route.description ?? route.summary;
  return `${/[.。)]$/.test(text) ? text : `${text}.`}\n\n${accessSentence(route.access)}`;
}

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
      ...(route.idempotencyKey ? [IDEMPOTENCY_KEY_PARAMETER] : []),
      ...(route.versioned === 'write' ? [IF_MATCH_PARAMETER] : []),
    ];
    const operation: Record<string, unknown> = {
      operationId: route.id,
      summary: route.summary,
      description: operationDescription(route),
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
            ...(route.versioned && status === '200' ? { headers: ETAG_HEADER } : {}),
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

  const used = new Set(Object.values(paths).flatMap((operations) => Object.values(operations).flatMap((op) => (op as { tags: string[] }).tags)));
  const undescribed = [...used].filter((tag) => !TAG_DESCRIPTIONS[tag]);
  if (undescribed.length > 0) throw new Error(`OpenAPI tags without a description in TAG_DESCRIPTIONS (shared/http/openapi.ts): ${undescribed.join(', ')}`);

  return {
    openapi: '3.1.0',
    info: {
      title: 'CityGrid API',
      version: '1.0.0',
      description: 'Digital urban management (数字城管): report, file, dispatch, handle, verify and close city cases.',
      contact: { name: 'The city\'s digital urban management command center (数字城管指挥中心), which runs this API' },
      license: { name: 'Proprietary: no licence is granted', identifier: 'LicenseRef-Proprietary' },
    },
    // Relative: the API is served from the origin serving this document (the API Gateway endpoint or the
    // city's domain in AWS, http://127.0.0.1:3000 locally); the paths carry the /v1 version.
    servers: [{ url: '/', description: 'The origin serving this document' }],
    tags: Object.entries(TAG_DESCRIPTIONS)
      .filter(([name]) => used.has(name))
      .map(([name, description]) => ({ name, description })),
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
