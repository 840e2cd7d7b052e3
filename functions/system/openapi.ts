import { getHttpConfig } from '#shared/config/index';
import { routeList } from '#shared/contract/index';
import { getOpenApi as route } from '#shared/contract/system';
import { publicHttpHandler, type HttpResult } from '#shared/http/public-handler';
import { buildOpenApi } from '#shared/http/openapi';

// Built once per container: the route table does not change while it runs.
const document = buildOpenApi(routeList(), { deployed: !getHttpConfig().CITYGRID_LOCAL });

export async function getOpenApi(): Promise<HttpResult> {
  return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
}

export const handler = publicHttpHandler(route, getOpenApi);
