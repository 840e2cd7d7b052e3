import { listGrids as route } from '#shared/contract/reference';
import { listGrids } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function gridList(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await listGrids(getReferenceDeps(), request.query) };
}

export const handler = httpHandler(route, gridList);
