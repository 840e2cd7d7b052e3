import { listMissedLive as route } from '#shared/contract/live';
import { missedMessages } from '#shared/domain/live/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getLiveRouteDeps } from '#shared/wiring/live';

export async function listMissed(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await missedMessages(getLiveRouteDeps(), request.principal, request.query.since) };
}

export const handler = httpHandler(route, listMissed);
