import middy, { type MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from '#shared/validation/zod';
import { getHttpConfig } from '#shared/config/index';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, DEFAULT_MAX_BODY_BYTES, type RouteSpec } from '#shared/contract/route-spec';
import { NotFoundError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/identity/model';
import type { Role } from '#shared/domain/roles';
import { errorMapper, type ErrorRenderer } from './error-mapper.ts';
import { jsonBody, parsedBodyOf } from './json-body.ts';
import { negotiateLanguage } from './messages.ts';
import { parseRequest } from './validate.ts';

type Out<S> = S extends z.core.$ZodType ? z.output<S> : undefined;
type Req<R extends RouteSpec> = R['request'] extends object ? R['request'] : Record<string, never>;

/** What a route's function receives: validated inputs plus the request's identity. */
export interface HttpRequest<R extends RouteSpec = RouteSpec> {
  body: Out<Req<R>['body']>;
  query: Out<Req<R>['query']>;
  params: Out<Req<R>['params']>;
  /** Lower-cased header names, as API Gateway HTTP APIs deliver them. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received (signature checks need the bytes, not the parsed JSON). */
  rawBody: string | undefined;
  requestId: string;
  sourceIp: string;
  /** The caller, on routes that take roles (always set there); undefined on public and signed routes. */
  principal: R['access'] extends readonly unknown[] ? Principal : undefined;
  event: APIGatewayProxyEventV2;
}

/** What a route's function returns; the stack serialises `body` as JSON unless it is a string. */
export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteFn<R extends RouteSpec> = (request: HttpRequest<R>) => Promise<HttpResult>;

/** What a route's function may add to the stack (kept out of it so other functions do not bundle it). */
export interface HandlerOptions {
  /** Writes errors in the route's own format (routes with `errorFormat: 'open311'`). */
  renderError?: ErrorRenderer;
}

/** Verifies the caller of a route that takes roles (kept apart so public routes do not load it). */
export type Authenticate = (authorization: string | undefined, allowed: readonly Role[]) => Promise<Principal>;

/**
 * THE middy stack of every HTTP function: request id, CORS, security headers, one error mapper, body
 * size limit and JSON parsing, authentication for routes that take roles, then zod validation of body,
 * query and path against the route's schemas. The route's own function only sees valid input and
 * returns `{ status, body }`. Functions use `httpHandler` (`handler.ts`) or, on routes without roles,
 * `publicHttpHandler` (`public-handler.ts`), which leaves the token verifier and user store out.
 */
export function buildHttpHandler<R extends RouteSpec>(route: R, fn: RouteFn<R>, authenticate: Authenticate | undefined, options: HandlerOptions = {}) {
  if (route.errorFormat === 'open311' && !options.renderError) throw new Error(`Route ${route.path} answers errors in its own format: pass renderError`);
  const core = async (event: APIGatewayProxyEventV2, context: Context) => {
    if (route.access === 'local' && !getHttpConfig().CITYGRID_LOCAL) throw new NotFoundError('Not found');
    // Authentication and roles come before validation: an anonymous caller learns nothing of the schema.
    let principal: Principal | undefined;
    if (Array.isArray(route.access)) {
      if (!authenticate) throw new Error(`Route ${route.path} takes roles: build it with httpHandler`);
      principal = await authenticate(event.headers?.authorization, route.access);
    }
    const internal = parsedBodyOf(event);
    // The one cast of the stack: zod has just produced exactly the types HttpRequest<R> derives from R.
    const request = {
      principal,
      // Signed-in routes refuse query parameters they do not take; public ones (health, OpenAPI) ignore them.
      ...parseRequest(route.request, { body: internal.json, query: event.queryStringParameters ?? {}, params: event.pathParameters ?? {} }, negotiateLanguage(event.headers?.['accept-language']), Array.isArray(route.access)),
      headers: event.headers ?? {},
      rawBody: internal.rawBody,
      requestId: requestIdOf(event, context),
      sourceIp: event.requestContext?.http?.sourceIp ?? '',
      event,
    } as HttpRequest<R>;
    return toResponse(await fn(request), request.requestId);
  };

  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>({ timeoutEarlyInMillis: 0 })
    .use(lowerCaseHeaders())
    .use(noStore(route))
    .use(httpCors({ origins: getHttpConfig().CORS_ORIGINS, headers: CORS_ALLOWED_HEADERS.join(','), exposeHeaders: CORS_EXPOSED_HEADERS.join(','), maxAge: 600 }))
    .use(httpSecurityHeaders())
    .use(errorMapper(options.renderError))
    .use(jsonBody({ maxBytes: route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, parse: Boolean(route.request?.body), format: route.bodyFormat }))
    .handler(core);
  return handler;
}

/**
 * Outermost: runs last on the way out (success or error), so every header the other middlewares added
 * leaves in lower case (as HTTP/2 requires) and unset ones (`server`) are dropped.
 */
function lowerCaseHeaders(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const after = async (request: { response: APIGatewayProxyStructuredResultV2 | null }) => {
    if (!request.response?.headers) return;
    const headers: Record<string, string | number | boolean> = {};
    for (const [name, value] of Object.entries(request.response.headers)) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = value;
    }
    request.response.headers = headers;
  };
  return { after, onError: after };
}

/**
 * `Cache-Control: no-store` on every response of a route that takes a token, of the local routes (the
 * outbox holds login codes) and of the routes holding the signing key (sms-codes, register, login,
 * refresh: their answers carry codes' fates and tokens): `/v1/me` carries the full phone, case views
 * carry people's reports; no browser or proxy cache may keep them. Errors included. Other public routes
 * choose for themselves.
 */
function noStore(route: RouteSpec): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const personal = Array.isArray(route.access) || route.access === 'local' || route.needs?.signingKey === true;
  const after = async (request: { response: APIGatewayProxyStructuredResultV2 | null }) => {
    if (!personal || !request.response) return;
    request.response.headers = { ...request.response.headers, 'cache-control': 'no-store' };
  };
  return { after, onError: after };
}

function requestIdOf(event: APIGatewayProxyEventV2, context: Context): string {
  return event.requestContext?.requestId ?? context.awsRequestId;
}

function toResponse(result: HttpResult, requestId: string): APIGatewayProxyStructuredResultV2 {
  const isText = typeof result.body === 'string';
  return {
    statusCode: result.status,
    headers: {
      'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      'x-request-id': requestId,
      ...result.headers,
    },
    body: result.body === undefined ? '' : isText ? (result.body as string) : JSON.stringify(result.body),
  };
}
