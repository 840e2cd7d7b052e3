import { cancelAccount as route } from '#shared/contract/account';
import { cancelAccount } from '#shared/domain/identity/data-rights';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDataRightsDeps } from '#shared/wiring/data-rights';

export async function cancel(request: HttpRequest<typeof route>): Promise<HttpResult> {
  await cancelAccount(getDataRightsDeps(), request.principal);
  return { status: 204 };
}

export const handler = httpHandler(route, cancel);
