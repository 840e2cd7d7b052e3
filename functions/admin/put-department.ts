import { putDepartment as route } from '#shared/contract/reference';
import { upsertDepartment } from '#shared/domain/reference/use-cases';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDepartmentDeps } from '#shared/wiring/subtrees';

export async function putDepartment(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await upsertDepartment({ ...getDepartmentDeps(), audit: getAuditLog() }, request.params.id, request.body, actorOf(request.principal)) };
}

export const handler = httpHandler(route, putDepartment);
