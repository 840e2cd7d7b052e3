import { putDepartment as route } from '#shared/contract/reference';
import { upsertDepartment } from '#shared/domain/reference/use-cases';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { etagOf, ifMatchVersion } from '#shared/http/if-match';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDepartmentDeps } from '#shared/wiring/subtrees';

export async function putDepartment(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const body = await upsertDepartment({ ...getDepartmentDeps(), audit: getAuditLog() }, request.params.id, request.body, actorOf(request.principal), { ifMatch: ifMatchVersion(request.headers) });
  return { status: 200, body, headers: etagOf(body.version) };
}

export const handler = httpHandler(route, putDepartment);
