import { addWorkingHours, workingHoursBetween, type WorkingCalendar } from '#shared/domain/calendar';
import type { Category } from '#shared/domain/reference/category';
import type { Case, Priority } from './model.ts';

/**
 * The clock a case's deadline runs on: working hours on the working calendar for ordinary cases, clock
 * hours (day and night, weekends and holidays included) for urgent ones (紧急). Deadlines, warnings,
 * escalation intervals, extensions and the time left at a suspension all use the case's clock.
 */
export interface DeadlineClock {
  add(from: Date, hours: number): Date;
  between(from: Date, to: Date): number;
}

const HOUR_MS = 3600 * 1000;

const clockHours: DeadlineClock = {
  add: (from, hours) => new Date(from.getTime() + hours * HOUR_MS),
  between: (from, to) => (to.getTime() - from.getTime()) / HOUR_MS,
};

export function deadlineClock(calendar: WorkingCalendar, priority: Priority | undefined): DeadlineClock {
  if (priority === 'urgent') return clockHours;
  return { add: (from, hours) => addWorkingHours(calendar, from, hours), between: (from, to) => workingHoursBetween(calendar, from, to) };
}

export const clockOf = (calendar: WorkingCalendar, c: Pick<Case, 'priority'>) => deadlineClock(calendar, c.priority);

/**
 * The handling limit of a category for a case of `priority`, in the clock's hours: `urgentHours` for an
 * urgent case (a category without one falls back to its working-hour figure, counted in clock hours).
 */
export function limitHours(category: Pick<Category, 'timeLimit'>, priority: Priority | undefined): number {
  return priority === 'urgent' ? (category.timeLimit.urgentHours ?? category.timeLimit.workingHours) : category.timeLimit.workingHours;
}

/** The time left on a case's deadline clock at `at` (0 when it has passed). */
export function hoursLeft(calendar: WorkingCalendar, c: Pick<Case, 'priority' | 'dueAt'>, at: Date): number {
  if (!c.dueAt) return 0;
  const due = new Date(c.dueAt);
  if (due.getTime() <= at.getTime()) return 0;
  return Math.round(deadlineClock(calendar, c.priority).between(at, due) * 1000) / 1000;
}
