import { getCalendarYear as route } from '#shared/contract/reference';
import { getCalendarYear } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function getCalendar(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await getCalendarYear(getReferenceDeps(), request.params.year) };
}

export const handler = httpHandler(route, getCalendar);
