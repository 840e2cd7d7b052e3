import { listApiKeys as route } from '#shared/contract/open311';
import { listApiKeys } from '#shared/domain/open311/api-keys';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getApiKeyStore } from '#shared/wiring/api-keys';

/** 开放接口: the keys (never a key or its hash). */
export async function apiKeys(_request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await listApiKeys(getApiKeyStore()), headers: { 'cache-control': 'no-store' } };
}

export const handler = httpHandler(route, apiKeys);
