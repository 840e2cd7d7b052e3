import { listSimilarCases as route } from '#shared/contract/duplicates';
import { findSimilar } from '#shared/domain/cases/duplicates';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function similarCases(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await findSimilar(await getCaseDeps(), request.principal, request.params.id, request.query.radius) };
}

export const handler = httpHandler(route, similarCases);
