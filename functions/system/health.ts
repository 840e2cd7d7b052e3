import { routes } from '#infra/routes';
import { httpHandler, type HttpResult } from '#shared/http/handler';

/** Liveness: answers without touching the table, so it stays cheap for load balancers and probes. */
export async function getHealth(): Promise<HttpResult> {
  return { status: 200, body: { status: 'ok' } };
}

export const handler = httpHandler(routes.getHealth, getHealth);
