import { putCalendarYear as route } from '#shared/contract/reference';
import { putCalendarYear } from '#shared/domain/reference/use-cases';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function putCalendar(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await putCalendarYear({ ...getReferenceDeps(), audit: getAuditLog() }, request.params.year, request.body, actorOf(request.principal)) };
}

export const handler = httpHandler(route, putCalendar);
