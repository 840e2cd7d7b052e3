import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { loadHandler } from './handlers.ts';
import { createStaticMount, type StaticMount } from './static.ts';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { CORS_ALLOWED_HEADERS, type RouteEntry } from '#shared/contract/index';
import { BusyError, ForbiddenError, HeadersTooLargeError, PayloadTooLargeError, ValidationError } from '#shared/domain/errors';
import { errorResponse, mapError } from '#shared/http/error-mapper';
import { negotiateLanguage } from '#shared/http/messages';

/** API Gateway's own request size cap; routes apply their smaller limits in the middy stack. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
type LocalRoute = RouteEntry;

interface CompiledRoute {
  route: LocalRoute;
  pattern: RegExp;
  names: string[];
  staticSegments: number;
}

/**
 * Compiles `/v1/cases/{id}/file` into a matcher, as API Gateway matches: `{id}` fills one whole segment,
 * a last `{proxy+}` the rest of the path (one segment or more). Routes with more fixed segments win,
 * and at equal counts a route without a greedy parameter wins.
 */
export function compile(route: LocalRoute): CompiledRoute {
  const names: string[] = [];
  const segments = route.path.split('/').filter(Boolean);
  let greedy = false;
  const source = segments
    .map((segment, i) => {
      const param = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (param) {
        names.push(param[1]!);
        if (param[2] && i === segments.length - 1) {
          greedy = true;
          return '/(.+?)';
        }
        return '/([^/]+)';
      }
      return '/' + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { route, pattern: new RegExp(`^${source}/?$`), names, staticSegments: segments.length - names.length - (greedy ? 0.5 : 0) };
}

/**
 * The local stand-in for API Gateway HTTP API: turns each request into a payload v2 event, invokes the
 * handler module named by the route table (in-process, loaded once like a warm Lambda) and writes its
 * v2 response back. Unknown paths go to the `$default` route, as in the cloud.
 */
export function createGateway(
  routes: LocalRoute[],
  options: {
    repoRoot: string;
    onRequest?: (line: string) => void;
    corsOrigins?: readonly string[];
    staticMounts?: StaticMount[];
    /** Answer 503 (Retry-After: 1) to everything until `open()`: `npm start` listens before the demo city is loaded. */
    startClosed?: boolean;
  },
) {
  let accepting = !options.startClosed;
  const corsOrigins = new Set(options.corsOrigins ?? []);
  // Built web apps (the console, the H5 page) are answered before the API routes, as CloudFront would.
  const mounts = (options.staticMounts ?? []).map(createStaticMount);
  const compiled = routes.filter((r) => r.path !== '$default').map(compile).sort((a, b) => b.staticSegments - a.staticSegments);
  const fallback = routes.find((r) => r.path === '$default');
  const loaded = new Map<string, Promise<LambdaHandler>>();

  const load = (route: LocalRoute): Promise<LambdaHandler> => {
    let handler = loaded.get(route.handler);
    if (!handler) {
      handler = loadHandler(options.repoRoot, route.handler) as Promise<LambdaHandler>;
      loaded.set(route.handler, handler);
    }
    return handler;
  };

  const match = (method: string, path: string) => {
    for (const candidate of compiled) {
      if (candidate.route.method !== method && candidate.route.method !== 'ANY') continue;
      const found = candidate.pattern.exec(path);
      if (!found) continue;
      let pathParameters: Record<string, string>;
      try {
        pathParameters = Object.fromEntries(candidate.names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
      } catch {
        throw new ValidationError('The path is not valid', [{ path: 'path', message: 'Malformed percent-encoding' }]);
      }
      return { route: candidate.route, pathParameters };
    }
    return fallback ? { route: fallback, pathParameters: {} } : undefined;
  };

  /** Invokes the route for an already-built event (the bench uses this to measure the gateway's cost). */
  const invoke = async (route: LocalRoute, event: APIGatewayProxyEventV2) => (await load(route))(event, lambdaContext(route.id));

  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let status = 500;
    try {
      if (!accepting) throw new BusyError('The platform is starting; try again in a moment', 1, { id: 'local.starting' });
      for (const serve of mounts) {
        if (await serve(method, url.pathname, res, req.headers['accept-encoding'])) {
          status = res.statusCode;
          return;
        }
      }
      if (method === 'OPTIONS') {
        status = 204;
        // Preflights pass only for configured origins (CORS_ORIGINS); others get no CORS headers, so the
        // browser refuses the call. `/dev/*` never takes cross-origin calls.
        const origin = req.headers.origin;
        const allowed = origin !== undefined && corsOrigins.has(origin) && !url.pathname.startsWith('/dev/');
        res.writeHead(
          204,
          allowed
            ? {
                'access-control-allow-origin': origin,
                'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE',
                'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(','),
                'access-control-max-age': '600',
                vary: 'origin',
              }
            : { vary: 'origin' },
        );
        res.end();
        return;
      }
      if (url.pathname.startsWith('/dev/')) refuseCrossOrigin(req);
      const body = await readBody(req);
      const found = match(method, url.pathname);
      if (!found) throw new Error('No $default route in the route table');
      const event = toEvent(req, url, body, found.route, found.pathParameters, requestId);
      const result = await invoke(found.route, event);
      status = writeResult(res, result);
    } catch (error) {
      const header = req.headers['accept-language'];
      const response = errorResponse(error, requestId, negotiateLanguage(Array.isArray(header) ? header.join(',') : header));
      if (mapError(error).status === 500) console.error('[gateway] handler failed', requestId, error);
      status = writeResult(res, response);
    } finally {
      options.onRequest?.(`${method} ${url.pathname} ${status} ${(performance.now() - started).toFixed(1)}ms`);
    }
  };

  /** From now on requests are served (see `startClosed`). */
  const open = () => {
    accepting = true;
  };

  return { listener, match, invoke, open };
}

export type Gateway = ReturnType<typeof createGateway>;

/**
 * `/dev/*` (the outbox holds login codes) answers same-origin and non-browser calls only: a browser
 * marks a request from another site with `Sec-Fetch-Site` and `Origin`, curl and tests send neither.
 */
function refuseCrossOrigin(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const sameOrigin = origin === undefined || origin === `http://${req.headers.host}`;
  if ((site !== undefined && site !== 'same-origin' && site !== 'none') || !sameOrigin) {
    throw new ForbiddenError('Local development routes answer same-origin and non-browser calls only');
  }
}

/**
 * Requests Node's parser refuses before any handler runs get the contract's error body too: a request
 * line and headers over the limit (e.g. a 70 kB URL) are 431, anything else malformed is 400.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const response = errorResponse(
    tooLarge ? new HeadersTooLargeError('Request header fields too large (16 KiB at most)') : new ValidationError('The request is not valid HTTP', [{ path: 'request', message: 'Malformed request' }]),
    randomUUID(),
    negotiateLanguage(acceptLanguageOf(error)),
  );
  const body = Buffer.from(String(response.body ?? ''), 'utf8');
  const headers = Object.entries({ ...response.headers, 'content-length': String(body.length), connection: 'close' }).map(([name, value]) => `${name}: ${String(value)}`);
  socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${response.statusCode} ${STATUS_CODES[response.statusCode ?? 400] ?? ''}\r\n${headers.join('\r\n')}\r\n\r\n`), body]));
}

/**
 * The request's `Accept-Language`, read from the bytes Node's parser had when it gave up (no headers
 * object exists then): the answer is in the caller's language when the header came before the overflow.
 */
function acceptLanguageOf(error: Error & { rawPacket?: unknown }): string | undefined {
  if (!Buffer.isBuffer(error.rawPacket)) return undefined;
  const head = error.rawPacket.subarray(0, 64 * 1024).toString('latin1');
  return /\r\naccept-language:[ \t]*([^\r\n]{0,200})/i.exec(head)?.[1];
}

/** Starts the gateway's HTTP server on 127.0.0.1. */
export async function listen(gateway: Gateway, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => void gateway.listener(req, res));
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { server, url: `http://127.0.0.1:${actualPort}` };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > GATEWAY_MAX_BODY_BYTES) {
    req.resume();
    throw new PayloadTooLargeError(`The body exceeds ${GATEWAY_MAX_BODY_BYTES} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY_BYTES) throw new PayloadTooLargeError(`The body exceeds ${GATEWAY_MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const TEXT_TYPES = /^(application\/([\w.+-]+\+)?json|application\/x-www-form-urlencoded|text\/)/i;

/** Builds an API Gateway HTTP API payload v2 event, as API Gateway would for this request. */
export function toEvent(
  req: Pick<IncomingMessage, 'headers' | 'method' | 'httpVersion' | 'socket'>,
  url: URL,
  body: Buffer,
  route: LocalRoute,
  pathParameters: Record<string, string>,
  requestId: string,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // A Map, then own properties (as API Gateway's parsed JSON has them): `constructor`, `toString` or
  // `__proto__` in a query string is a name like any other, never a member of Object.prototype.
  const joined = new Map<string, string>();
  for (const [name, value] of url.searchParams) joined.set(name, joined.has(name) ? `${joined.get(name)},${value}` : value);
  const query: Record<string, string> = Object.fromEntries(joined);
  const isText = TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const routeKey = route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
  const cookies = req.headers.cookie?.split(';').map((c) => c.trim()).filter(Boolean);
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2): number {
  // A v2 handler may return a bare value: API Gateway then answers 200 with it as JSON.
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result
    ? result
    : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result) };
  const status = structured.statusCode ?? 200;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) {
    // JSON drops undefined headers in the cloud; middy's security headers unset `server` that way.
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  }
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const payload = structured.body === undefined ? Buffer.alloc(0) : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
  headers['content-length'] = String(payload.length);
  res.writeHead(status, headers);
  res.end(payload);
  return status;
}

function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
