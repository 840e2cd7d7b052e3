import { createLiveTicket as route } from '#shared/contract/live';
import { issueTicket } from '#shared/domain/live/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getLiveRouteDeps } from '#shared/wiring/live';

/** A host name and port as a Host header carries them (anything else falls back to the loopback). */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

export async function createTicket(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const deps = getLiveRouteDeps();
  // Locally the URL is `ws://{host}/live`: the socket goes to the host the console called (its own origin).
  const host = request.headers.host && HOST.test(request.headers.host) ? request.headers.host : '127.0.0.1';
  return { status: 201, body: await issueTicket({ ...deps, socketUrl: deps.socketUrl.replace('{host}', host) }, request.principal) };
}

export const handler = httpHandler(route, createTicket);
