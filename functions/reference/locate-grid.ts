import { locateGrid as route } from '#shared/contract/reference';
import { locateGrid } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function locate(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await locateGrid(getReferenceDeps(), request.query) };
}

export const handler = httpHandler(route, locate);
