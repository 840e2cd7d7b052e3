import { putCalendarYear as route } from '#shared/contract/reference';
import { putCalendarYear } from '#shared/domain/reference/use-cases';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { etagOf, ifMatchVersion } from '#shared/http/if-match';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function putCalendar(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const body = await putCalendarYear({ ...getReferenceDeps(), audit: getAuditLog() }, request.params.year, request.body, actorOf(request.principal), { ifMatch: ifMatchVersion(request.headers) });
  return { status: 200, body, headers: etagOf(body.version) };
}

export const handler = httpHandler(route, putCalendar);
