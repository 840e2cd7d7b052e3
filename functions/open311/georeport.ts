import { matchOpen311, open311 as route } from '#shared/contract/open311';
import { NotFoundError } from '#shared/domain/errors';
import * as open311 from '#shared/domain/open311/use-cases';
import { getConfig, getHttpConfig } from '#shared/config/index';
import { open311Result, renderOpen311Error } from '#shared/http/open311-response';
import { publicHttpHandler, type HttpRequest, type HttpResult } from '#shared/http/public-handler';
import { parseWith } from '#shared/http/validate';
import { IdempotencyKey } from '#shared/schemas/cases';
import { ReadQuery, RequestListQuery, ServiceRequestForm } from '#shared/schemas/open311';
import { getOpen311Deps } from '#shared/wiring/open311';

/**
 * Open311 GeoReport v2, all seven methods behind `/open311/v2/{proxy+}`: the path's suffix picks the
 * format, the path and HTTP method pick the use case (the table is `OPEN311_METHODS`).
 */
export async function georeport(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const found = matchOpen311(request.event.requestContext.http.method, request.params.proxy);
  if (!found) throw new NotFoundError(`No Open311 method at ${request.params.proxy}`);
  const deps = await getOpen311Deps();
  const { format, id } = found;
  if (found.name === 'createRequest') {
    // The key is checked before the form: a caller without one learns nothing of the schema (403).
    const apiKey = request.body?.api_key;
    const client = await open311.authorizeWrite(deps, typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined);
    const form = parseWith(ServiceRequestForm, request.body ?? {});
    const rawKey = request.headers['idempotency-key'];
    const key = rawKey === undefined ? undefined : parseWith(IdempotencyKey, rawKey, 'headers.idempotency-key');
    return open311Result(201, await open311.submitRequest(deps, client, form, key), format);
  }
  if (found.name === 'listRequests') {
    const filters = parseWith(RequestListQuery, request.query, 'query');
    await open311.authorizeRead(deps, filters.api_key, request.sourceIp);
    return open311Result(200, await open311.listRequests(deps, filters), format);
  }
  await open311.authorizeRead(deps, parseWith(ReadQuery, request.query, 'query').api_key, request.sourceIp);
  switch (found.name) {
    case 'discovery':
      return open311Result(200, open311.getDiscovery(deps, baseUrl(request)), format);
    case 'services':
      return open311Result(200, await open311.getServices(deps), format);
    case 'serviceDefinition':
      return open311Result(200, await open311.getServiceDefinition(deps, id), format);
    case 'getRequest':
      return open311Result(200, await open311.getRequest(deps, id), format);
    case 'getToken':
      return open311Result(200, await open311.getToken(deps, id), format);
  }
}

/** The endpoint's public URL for discovery: configured, or this request's host. */
const baseUrl = (request: HttpRequest<typeof route>) =>
  getConfig().OPEN311_BASE_URL ?? `${getHttpConfig().CITYGRID_LOCAL ? 'http' : 'https'}://${request.headers.host ?? request.event.requestContext.domainName}/open311/v2`;

export const handler = publicHttpHandler(route, georeport, { renderError: renderOpen311Error });
