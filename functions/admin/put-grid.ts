import { putGrid as route } from '#shared/contract/reference';
import { upsertGrid } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function putGrid(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const { properties, geometry } = request.body;
  return { status: 200, body: await upsertGrid(getReferenceDeps(), { id: request.params.id, ...properties, geometry }) };
}

export const handler = httpHandler(route, putGrid);
