import { routes } from '#infra/routes';
import { transition } from '#shared/domain/cases/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function dispatchCase(request: HttpRequest<typeof routes.dispatchCase>): Promise<HttpResult> {
  return { status: 200, body: { case: await transition(await getCaseDeps(), request.principal, request.params.id, { action: 'dispatch', ...request.body }) } };
}

export const handler = httpHandler(routes.dispatchCase, dispatchCase);
