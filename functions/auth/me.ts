import { getMe as route } from '#shared/contract/identity';
import { getMe } from '#shared/domain/identity/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getIdentityStore } from '#shared/wiring/identity';

export async function me(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: { user: await getMe({ store: getIdentityStore() }, request.principal) } };
}

export const handler = httpHandler(route, me);
