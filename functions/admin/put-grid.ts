import { putGrid as route } from '#shared/contract/reference';
import { upsertGrid } from '#shared/domain/reference/use-cases';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { etagOf, ifMatchVersion } from '#shared/http/if-match';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function putGrid(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const { properties, geometry } = request.body;
  const ifMatch = ifMatchVersion(request.headers);
  const body = await upsertGrid({ ...getReferenceDeps(), audit: getAuditLog() }, { id: request.params.id, ...properties, geometry }, actorOf(request.principal), { ifMatch });
  return { status: 200, body, headers: etagOf(body.version) };
}

export const handler = httpHandler(route, putGrid);
