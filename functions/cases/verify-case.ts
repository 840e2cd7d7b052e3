import { routes } from '#infra/routes';
import { transition } from '#shared/domain/cases/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function verifyCase(request: HttpRequest<typeof routes.verifyCase>): Promise<HttpResult> {
  return { status: 200, body: { case: await transition(await getCaseDeps(), request.principal, request.params.id, { action: 'verify', ...request.body }) } };
}

export const handler = httpHandler(routes.verifyCase, verifyCase);
