import { getStaffTrack as route } from '#shared/contract/duty';
import { getStaffTrack } from '#shared/domain/duty/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDutyDeps } from '#shared/wiring/duty';

export async function staffTrack(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await getStaffTrack(getDutyDeps(), request.principal, request.params.id, request.query) };
}

export const handler = httpHandler(route, staffTrack);
