import { putGrid as route } from '#shared/contract/reference';
import { upsertGrid } from '#shared/domain/reference/use-cases';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function putGrid(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const { properties, geometry } = request.body;
  return { status: 200, body: await upsertGrid({ ...getReferenceDeps(), audit: getAuditLog() }, { id: request.params.id, ...properties, geometry }, actorOf(request.principal)) };
}

export const handler = httpHandler(route, putGrid);
