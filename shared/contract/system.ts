/** System: health, the OpenAPI document and the catch-all. */
import { errors, type RouteSpec } from './route-spec.ts';
import { HealthBody } from '#shared/schemas/common';

export const getHealth = {
  method: 'GET',
  path: '/v1/health',
  handler: 'functions/system/health.ts',
  access: 'public',
  summary: 'Liveness check',
  description: 'Answers `{"status":"ok"}` without touching the table, so load balancers and probes may call it often.',
  tag: 'System',
  responses: { 200: { description: 'The API is up', schema: HealthBody }, ...errors(413) },
} as const satisfies RouteSpec;

export const getOpenApi = {
  method: 'GET',
  path: '/v1/openapi.json',
  handler: 'functions/system/openapi.ts',
  access: 'public',
  summary: 'This OpenAPI 3.1 document, generated from the route table and the zod schemas',
  description: 'The contract as OpenAPI 3.1 (JSON Schema 2020-12): every deployed route with its roles, parameters, bodies and error answers. Deployed, it is written at synth beside its function; cached for 5 minutes.',
  tag: 'System',
  responses: { 200: { description: 'OpenAPI 3.1 document' }, ...errors(413) },
} as const satisfies RouteSpec;

export const notFound = {
  method: 'GET',
  path: '$default',
  handler: 'functions/system/not-found.ts',
  access: 'public',
  summary: 'Catch-all: any unknown method and path answers 404 in the contract error shape',
  tag: 'System',
  responses: errors(404),
} as const satisfies RouteSpec;
