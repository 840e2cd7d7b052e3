import { putCategory as route } from '#shared/contract/reference';
import { upsertCategory } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function putCategory(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await upsertCategory(getReferenceDeps(), request.params.code, request.body) };
}

export const handler = httpHandler(route, putCategory);
