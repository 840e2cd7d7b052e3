import { updateStaff as route } from '#shared/contract/identity';
import { updateStaff } from '#shared/domain/identity/directory';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDirectoryDeps } from '#shared/wiring/directory';
import { getSessionCheck } from '#shared/wiring/identity';

export async function changeStaff(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const changed = await updateStaff({ ...getDirectoryDeps(), audit: getAuditLog() }, request.params.id, request.body, actorOf(request.principal));
  getSessionCheck().forgetAccount(changed.id); // this container applies the change at once
  return { status: 200, body: changed };
}

export const handler = httpHandler(route, changeStaff);
