import { deleteApiKey as route } from '#shared/contract/open311';
import { revokeApiKey } from '#shared/domain/open311/api-keys';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getApiKeyStore } from '#shared/wiring/api-keys';

/** Revokes an API key: its next request is 403. */
export async function deleteKey(request: HttpRequest<typeof route>): Promise<HttpResult> {
  await revokeApiKey(getApiKeyStore(), request.params.id, { log: getAuditLog(), actor: actorOf(request.principal) });
  return { status: 204 };
}

export const handler = httpHandler(route, deleteKey);
