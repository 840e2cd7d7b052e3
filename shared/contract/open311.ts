/**
 * Open311 GeoReport v2 (`/open311/v2/…`): one route, one function. API Gateway fills path parameters
 * with whole segments, so `requests/{id}.json` cannot be a route of its own: the function receives the
 * rest of the path (`{proxy+}`), reads the `.json`/`.xml` suffix and picks the method from
 * {@link OPEN311_METHODS}. Errors are the standard's list (`errorFormat: 'open311'`).
 */
import * as z from '#shared/validation/zod';
import { errors, type RouteSpec } from './route-spec.ts';
import { ApiKeyCreated, ApiKeyList, ApiKeyParams, CreateApiKeyBody } from '#shared/schemas/open311';

/** The standard's methods, as data: HTTP method, path pattern below `/open311/v2/` (without the suffix). */
export const OPEN311_METHODS = [
  { name: 'discovery', method: 'GET', pattern: /^discovery$/ },
  { name: 'services', method: 'GET', pattern: /^services$/ },
  { name: 'serviceDefinition', method: 'GET', pattern: /^services\/([^/]{1,64})$/ },
  { name: 'listRequests', method: 'GET', pattern: /^requests$/ },
  { name: 'createRequest', method: 'POST', pattern: /^requests$/ },
  { name: 'getRequest', method: 'GET', pattern: /^requests\/([^/]{1,64})$/ },
  { name: 'getToken', method: 'GET', pattern: /^tokens\/([^/]{1,64})$/ },
] as const;

export type Open311MethodName = (typeof OPEN311_METHODS)[number]['name'];

/** The method a request means, its path argument (`''` when it takes none) and format; undefined when none matches (404). */
export function matchOpen311(method: string, proxy: string): { name: Open311MethodName; id: string; format: 'json' | 'xml' } | undefined {
  const suffix = /^(.+)\.(json|xml)$/.exec(proxy);
  if (!suffix) return undefined;
  for (const candidate of OPEN311_METHODS) {
    if (candidate.method !== method) continue;
    const found = candidate.pattern.exec(suffix[1]!);
    if (found) return { name: candidate.name, id: found[1] ?? '', format: suffix[2] as 'json' | 'xml' };
  }
  return undefined;
}

const Open311Document = z.withMeta(z.unknown(), { description: 'A GeoReport v2 document (JSON or XML, by the path suffix)' });
const open311Errors = Object.fromEntries(
  [400, 403, 404, 413, 415, 429].map((s) => [s, { description: 'GeoReport v2 errors: [{ code, description }] or <errors><error>…', schema: Open311Document }]),
);

export const open311 = {
  method: 'ANY',
  path: '/open311/v2/{proxy+}',
  handler: 'functions/open311/georeport.ts',
  access: 'public',
  summary:
    'Open311 GeoReport v2: GET discovery, services, services/{code}, requests, requests/{id}, tokens/{token}; POST requests (form, api_key). Suffix .json or .xml',
  tag: 'Open311',
  errorFormat: 'open311',
  bodyFormat: 'form',
  request: {
    params: z.object({ proxy: z.string().check(z.minLength(1), z.maxLength(512)) }),
    query: z.record(z.string(), z.string()),
    body: z.optional(z.record(z.string(), z.union([z.string(), z.array(z.string())]))),
  },
  responses: { 200: { description: 'The document', schema: Open311Document }, 201: { description: 'Request created (a token)', schema: Open311Document }, ...open311Errors },
  needs: { table: 'readWrite', bucket: 'view' },
} as const satisfies RouteSpec;

export const createApiKey = {
  method: 'POST',
  path: '/v1/admin/api-keys',
  handler: 'functions/admin/create-api-key.ts',
  access: ['admin'],
  summary: 'A new API key for a client system (Open311): the key is shown once, only its hash is stored',
  tag: 'Admin',
  request: { body: CreateApiKeyBody },
  responses: { 201: { description: 'The key (shown once)', schema: ApiKeyCreated }, ...errors(400, 401, 403) },
  needs: { table: 'readWrite', auditKey: true },
} as const satisfies RouteSpec;

export const deleteApiKey = {
  method: 'DELETE',
  path: '/v1/admin/api-keys/{id}',
  handler: 'functions/admin/delete-api-key.ts',
  access: ['admin'],
  summary: 'Revoke an API key at once',
  tag: 'Admin',
  request: { params: ApiKeyParams },
  responses: { 204: { description: 'Revoked' }, ...errors(400, 401, 403, 404) },
  needs: { table: 'readWrite', auditKey: true },
} as const satisfies RouteSpec;

export const listApiKeys = {
  method: 'GET',
  path: '/v1/admin/api-keys',
  handler: 'functions/admin/list-api-keys.ts',
  access: ['admin'],
  summary: 'The API keys of client systems (Open311), oldest first: name, creation and creator — never the key or its hash',
  tag: 'Admin',
  responses: { 200: { description: 'The keys', schema: ApiKeyList }, ...errors(401, 403) },
  needs: { table: 'read' },
} as const satisfies RouteSpec;
