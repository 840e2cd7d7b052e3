import { cancelAccount as route } from '#shared/contract/account';
import { cancelAccount } from '#shared/domain/identity/data-rights';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDataRightsDeps } from '#shared/wiring/data-rights';
import { getSessionCheck } from '#shared/wiring/identity';

export async function cancel(request: HttpRequest<typeof route>): Promise<HttpResult> {
  await cancelAccount(getDataRightsDeps(), request.principal);
  // From the 204 on, this container refuses the account's tokens; others within AUTH_USER_CACHE_SECONDS,
  // and their writes fail on the account's absence (the stores check it in the write's transaction).
  getSessionCheck().endAccount(request.principal.userId);
  return { status: 204 };
}

export const handler = httpHandler(route, cancel);
