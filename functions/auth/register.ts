import { register as route } from '#shared/contract/identity';
import { register } from '#shared/domain/identity/use-cases';
import { publicHttpHandler, type HttpRequest, type HttpResult } from '#shared/http/public-handler';
import { getAuthRuntime } from '#shared/wiring/auth';

export async function registerCitizen(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 201, body: await register(await getAuthRuntime(), request.body) };
}

export const handler = publicHttpHandler(route, registerCitizen);
