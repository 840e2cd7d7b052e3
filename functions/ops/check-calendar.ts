/**
 * Daily (EventBridge, 09:00 Asia/Shanghai): publishes `CalendarYearMissing` — 1 while a calendar year the
 * city must set is missing (from December 1 the next year: shared/domain/calendar.ts), else 0. The
 * stack's alarm on it reaches the ops topic; the console shows admins the same fact as a banner.
 */
import { calendarYears } from '#shared/domain/reference/use-cases';
import { logger } from '#shared/observability/logger';
import { CALENDAR_METRIC, metricRecord, putMetric } from '#shared/observability/metrics';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function checkCalendar(now: Date, write?: (line: string) => void): Promise<{ missingYear: number | null }> {
  const { missingYear } = await calendarYears(getReferenceDeps(), now);
  putMetric(metricRecord(CALENDAR_METRIC, missingYear ? 1 : 0, { Stack: process.env.METRIC_STACK ?? 'local' }, now), write);
  if (missingYear) logger.warn('working calendar year not set: its holidays count as working days', { missingYear });
  return { missingYear };
}

export const handler = async () => checkCalendar(new Date());
