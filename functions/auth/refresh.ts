import { refreshSession as route } from '#shared/contract/identity';
import { refreshSession } from '#shared/domain/identity/use-cases';
import { publicHttpHandler, type HttpRequest, type HttpResult } from '#shared/http/public-handler';
import { getAuthRuntime } from '#shared/wiring/auth';

export async function refresh(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await refreshSession(await getAuthRuntime(), request.body) };
}

export const handler = publicHttpHandler(route, refresh);
