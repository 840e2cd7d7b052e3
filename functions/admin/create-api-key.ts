import { createApiKey as route } from '#shared/contract/open311';
import { createApiKey } from '#shared/domain/open311/api-keys';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getApiKeyStore } from '#shared/wiring/api-keys';

/** A new API key for a client system: shown in this answer only, stored as a hash. */
export async function createKey(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const created = await createApiKey(getApiKeyStore(), request.body.name, request.principal.userId, new Date(), { log: getAuditLog(), actor: actorOf(request.principal) });
  return { status: 201, body: created, headers: { 'cache-control': 'no-store' } };
}

export const handler = httpHandler(route, createKey);
