import { listOutbox as route } from '#shared/contract/dev';
import { createOutbox } from '#shared/adapters/outbox';
import { getTable } from '#shared/data/db';
import { getCursorCodec } from '#shared/wiring/cursors';
import { publicHttpHandler, type HttpRequest, type HttpResult } from '#shared/http/public-handler';

/** Local only: what the platform would have sent through SNS, newest first. */
export async function listOutbox(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await createOutbox(getTable()).list(request.query, await getCursorCodec()) };
}

export const handler = publicHttpHandler(route, listOutbox);
