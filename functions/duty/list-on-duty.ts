import { listOnDuty as route } from '#shared/contract/duty';
import { listOnDuty } from '#shared/domain/duty/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDutyDeps } from '#shared/wiring/duty';

export async function onDuty(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await listOnDuty(getDutyDeps(), request.principal, request.query) };
}

export const handler = httpHandler(route, onDuty);
