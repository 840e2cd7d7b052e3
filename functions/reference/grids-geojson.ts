import { gridsGeoJson as route } from '#shared/contract/reference';
import { gridsGeoJson } from '#shared/domain/reference/grid-map';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function gridMap(_request: HttpRequest<typeof route>): Promise<HttpResult> {
  // Grids change rarely: clients may keep the map five minutes.
  return { status: 200, body: await gridsGeoJson(getReferenceDeps()), headers: { 'content-type': 'application/geo+json; charset=utf-8', 'cache-control': 'private, max-age=300' } };
}

export const handler = httpHandler(route, gridMap);
