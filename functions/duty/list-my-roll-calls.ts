import { listMyRollCalls as route } from '#shared/contract/duty';
import { listMyRollCalls } from '#shared/domain/duty/roll-calls';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getRollCallDeps } from '#shared/wiring/duty';

export async function myRollCalls(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await listMyRollCalls(getRollCallDeps(), request.principal) };
}

export const handler = httpHandler(route, myRollCalls);
