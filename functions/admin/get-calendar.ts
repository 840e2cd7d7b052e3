import { getCalendarYear as route } from '#shared/contract/reference';
import { getCalendarYear } from '#shared/domain/reference/use-cases';
import { etagOf } from '#shared/http/if-match';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function getCalendar(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const body = await getCalendarYear(getReferenceDeps(), request.params.year);
  return { status: 200, body, headers: etagOf(body.version) };
}

export const handler = httpHandler(route, getCalendar);
