import { callRoll as route } from '#shared/contract/duty';
import { callRoll } from '#shared/domain/duty/roll-calls';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getRollCallDeps } from '#shared/wiring/duty';
import { getSmsSender } from '#shared/wiring/messaging';

export async function rollCall(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 201, body: await callRoll(getRollCallDeps(getSmsSender), request.principal, request.params.id, request.body) };
}

export const handler = httpHandler(route, rollCall);
