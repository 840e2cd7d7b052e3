import { login as route } from '#shared/contract/identity';
import { login } from '#shared/domain/identity/use-cases';
import { publicHttpHandler, type HttpRequest, type HttpResult } from '#shared/http/public-handler';
import { getAuthRuntime } from '#shared/wiring/auth';

export async function logIn(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await login(await getAuthRuntime(), request.body) };
}

export const handler = publicHttpHandler(route, logIn);
