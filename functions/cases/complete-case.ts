import { routes } from '#infra/routes';
import { transition } from '#shared/domain/cases/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function completeCase(request: HttpRequest<typeof routes.completeCase>): Promise<HttpResult> {
  return { status: 200, body: { case: await transition(await getCaseDeps(), request.principal, request.params.id, { action: 'complete', ...request.body }) } };
}

export const handler = httpHandler(routes.completeCase, completeCase);
