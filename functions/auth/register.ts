import { routes } from '#infra/routes';
import { register } from '#shared/domain/identity/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getAuthRuntime } from '#shared/wiring/identity';

export async function registerCitizen(request: HttpRequest<typeof routes.register>): Promise<HttpResult> {
  return { status: 201, body: await register(await getAuthRuntime(), request.body) };
}

export const handler = httpHandler(routes.register, registerCitizen);
