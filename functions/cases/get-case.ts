import { getCase as route } from '#shared/contract/cases';
import { getCaseDetail } from '#shared/domain/cases/queries';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';
import { photoViewer } from '#shared/wiring/photo-views';

export async function getCase(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await getCaseDetail({ ...(await getCaseDeps()), photoViewer }, request.principal, request.params.id) };
}

export const handler = httpHandler(route, getCase);
