import { putCalendarYear as route } from '#shared/contract/reference';
import { putCalendarYear } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function putCalendar(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await putCalendarYear(getReferenceDeps(), request.params.year, request.body) };
}

export const handler = httpHandler(route, putCalendar);
