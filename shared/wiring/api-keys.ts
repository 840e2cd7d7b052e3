import { getTable } from '#shared/data/db';
import { createApiKeyStore } from '#shared/data/open311-store';
import type { ApiKeyStore } from '#shared/domain/open311/api-keys';

let keys: ApiKeyStore | undefined;

/** The API key store (admin routes and Open311), built once per container. */
export const getApiKeyStore = (): ApiKeyStore => (keys ??= createApiKeyStore(getTable()));
