import { getStatsSummary as route } from '#shared/contract/stats';
import { getSummary } from '#shared/domain/stats/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getStatsDeps } from '#shared/wiring/stats';

export async function summary(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await getSummary(getStatsDeps(), request.query, request.principal) };
}

export const handler = httpHandler(route, summary);
