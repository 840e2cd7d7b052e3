import { recordTrackPoints as route } from '#shared/contract/duty';
import { recordTrackPoints } from '#shared/domain/duty/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDutyDeps } from '#shared/wiring/duty';

export async function trackPoints(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 202, body: await recordTrackPoints(getDutyDeps(), request.principal, request.body) };
}

export const handler = httpHandler(route, trackPoints);
