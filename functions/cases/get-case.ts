import { routes } from '#infra/routes';
import { getCaseDetail } from '#shared/domain/cases/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function getCase(request: HttpRequest<typeof routes.getCase>): Promise<HttpResult> {
  return { status: 200, body: await getCaseDetail(await getCaseDeps(), request.principal, request.params.id) };
}

export const handler = httpHandler(routes.getCase, getCase);
