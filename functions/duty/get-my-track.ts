import { getMyTrack as route } from '#shared/contract/duty';
import { getMyTrack } from '#shared/domain/duty/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDutyDeps } from '#shared/wiring/duty';

export async function myTrack(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await getMyTrack(getDutyDeps(), request.principal, request.query) };
}

export const handler = httpHandler(route, myTrack);
