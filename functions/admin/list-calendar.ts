import { listCalendarYears as route } from '#shared/contract/reference';
import { calendarYears } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function listCalendar(): Promise<HttpResult> {
  return { status: 200, body: await calendarYears(getReferenceDeps(), new Date()) };
}

export const handler = httpHandler(route, listCalendar);
