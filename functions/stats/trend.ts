import { getStatsTrend as route } from '#shared/contract/stats';
import { getTrend } from '#shared/domain/stats/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getStatsDeps } from '#shared/wiring/stats';

export async function trend(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await getTrend(getStatsDeps(), request.query, request.principal) };
}

export const handler = httpHandler(route, trend);
