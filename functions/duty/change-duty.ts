import { changeDuty as route } from '#shared/contract/duty';
import { changeDuty } from '#shared/domain/duty/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDutyDeps } from '#shared/wiring/duty';

export async function startOrEndDuty(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await changeDuty(getDutyDeps(), request.principal, request.body) };
}

export const handler = httpHandler(route, startOrEndDuty);
