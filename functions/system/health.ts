import { getHealth as route } from '#shared/contract/system';
import { publicHttpHandler, type HttpResult } from '#shared/http/public-handler';

/** Liveness: answers without touching the table, so it stays cheap for load balancers and probes. */
export async function getHealth(): Promise<HttpResult> {
  return { status: 200, body: { status: 'ok' } };
}

export const handler = publicHttpHandler(route, getHealth);
