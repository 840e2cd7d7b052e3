import { routes } from '#infra/routes';
import { listQueue } from '#shared/domain/cases/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function listCases(request: HttpRequest<typeof routes.listCases>): Promise<HttpResult> {
  const { limit, cursor, ...filter } = request.query;
  return { status: 200, body: await listQueue(await getCaseDeps(), request.principal, filter, { limit, cursor }) };
}

export const handler = httpHandler(routes.listCases, listCases);
