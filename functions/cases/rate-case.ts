import { routes } from '#infra/routes';
import { transition } from '#shared/domain/cases/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function rateCase(request: HttpRequest<typeof routes.rateCase>): Promise<HttpResult> {
  return { status: 200, body: { case: await transition(await getCaseDeps(), request.principal, request.params.id, { action: 'rate', ...request.body }) } };
}

export const handler = httpHandler(routes.rateCase, rateCase);
