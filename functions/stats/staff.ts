import { getStaffStats as route } from '#shared/contract/stats';
import { getStaffStats } from '#shared/domain/stats/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getStatsDeps } from '#shared/wiring/stats';

export async function staff(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await getStaffStats(getStatsDeps(), request.query) };
}

export const handler = httpHandler(route, staff);
