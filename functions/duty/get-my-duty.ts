import { getMyDuty as route } from '#shared/contract/duty';
import { getMyDuty } from '#shared/domain/duty/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDutyDeps } from '#shared/wiring/duty';

export async function myDuty(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await getMyDuty(getDutyDeps(), request.principal) };
}

export const handler = httpHandler(route, myDuty);
