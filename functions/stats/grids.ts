import { getGridStats as route } from '#shared/contract/stats';
import { getHotspots } from '#shared/domain/stats/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getStatsDeps } from '#shared/wiring/stats';

export async function grids(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await getHotspots(getStatsDeps(), request.query) };
}

export const handler = httpHandler(route, grids);
