import { getDepartmentStats as route } from '#shared/contract/stats';
import { getDepartmentStats } from '#shared/domain/stats/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getStatsDeps } from '#shared/wiring/stats';

export async function departments(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await getDepartmentStats(getStatsDeps(), request.query, request.principal) };
}

export const handler = httpHandler(route, departments);
