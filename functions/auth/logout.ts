import { logout as route } from '#shared/contract/identity';
import { logout } from '#shared/domain/identity/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getSessionCheck, getSessionStore } from '#shared/wiring/identity';

export async function logOut(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const ended = await logout({ sessions: getSessionStore() }, request.principal, request.body);
  if (ended) getSessionCheck().endSession(ended);
  return { status: 204 };
}

export const handler = httpHandler(route, logOut);
