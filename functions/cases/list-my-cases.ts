import { routes } from '#infra/routes';
import { listMyCases as list } from '#shared/domain/cases/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function listMyCases(request: HttpRequest<typeof routes.listMyCases>): Promise<HttpResult> {
  return { status: 200, body: await list(await getCaseDeps(), request.principal, request.query) };
}

export const handler = httpHandler(routes.listMyCases, listMyCases);
