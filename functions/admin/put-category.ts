import { putCategory as route } from '#shared/contract/reference';
import { upsertCategory } from '#shared/domain/reference/use-cases';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { etagOf, ifMatchVersion } from '#shared/http/if-match';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function putCategory(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const body = await upsertCategory({ ...getReferenceDeps(), audit: getAuditLog() }, request.params.code, request.body, actorOf(request.principal), { ifMatch: ifMatchVersion(request.headers) });
  return { status: 200, body, headers: etagOf(body.version) };
}

export const handler = httpHandler(route, putCategory);
