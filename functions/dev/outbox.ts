import { routes } from '#infra/routes';
import { createOutbox } from '#shared/adapters/outbox';
import { getDb } from '#shared/data/db';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';

/** Local only: what the platform would have sent through SNS, newest first. */
export async function listOutbox(request: HttpRequest<typeof routes.listOutbox>): Promise<HttpResult> {
  return { status: 200, body: await createOutbox(getDb()).list(request.query) };
}

export const handler = httpHandler(routes.listOutbox, listOutbox);
