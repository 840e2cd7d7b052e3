import { listOutbox as route } from '#shared/contract/dev';
import { createOutbox, OUTBOX_ENTITIES } from '#shared/adapters/outbox';
import { getDb } from '#shared/data/db';
import { getCursorCodec } from '#shared/wiring/cursors';
import { publicHttpHandler, type HttpRequest, type HttpResult } from '#shared/http/public-handler';

/** Local only: what the platform would have sent through SNS, newest first. */
export async function listOutbox(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await createOutbox(getDb(OUTBOX_ENTITIES)).list(request.query, await getCursorCodec()) };
}

export const handler = publicHttpHandler(route, listOutbox);
