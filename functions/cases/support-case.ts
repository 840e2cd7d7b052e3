import { supportCase as route } from '#shared/contract/duplicates';
import { supportCase } from '#shared/domain/cases/duplicates';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function support(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await supportCase(await getCaseDeps(), request.principal, request.params.id) };
}

export const handler = httpHandler(route, support);
