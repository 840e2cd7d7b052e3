import { routes } from '#infra/routes';
import { login } from '#shared/domain/identity/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getAuthRuntime } from '#shared/wiring/identity';

export async function logIn(request: HttpRequest<typeof routes.login>): Promise<HttpResult> {
  return { status: 200, body: await login(await getAuthRuntime(), request.body) };
}

export const handler = httpHandler(routes.login, logIn);
