import { routeList, routes } from '#infra/routes';
import { httpHandler, type HttpResult } from '#shared/http/handler';
import { buildOpenApi } from '#shared/http/openapi';

// Built once per container: the route table does not change while it runs.
const document = buildOpenApi(routeList(), { deployed: process.env.CITYGRID_LOCAL !== '1' });

export async function getOpenApi(): Promise<HttpResult> {
  return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
}

export const handler = httpHandler(routes.getOpenApi, getOpenApi);
