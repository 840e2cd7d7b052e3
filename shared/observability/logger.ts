import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger per container. Never log a phone number, an SMS code, a token or a precise
 * coordinate: log ids and outcomes instead.
 */
export const logger = new Logger({ serviceName: 'citygrid' });

/** Masks digit runs that could be a phone number (7+ digits) in text from elsewhere, e.g. an SDK error. */
export const redactNumbers = (text: string) => text.replace(/\+?\d[\d -]{5,}\d/g, '***');

/**
 * Text from elsewhere (an SDK's error message or stack) as it may be logged: URLs without their query
 * (an SMS provider's request URL carries the number and the code), a `code` followed by digits masked,
 * and digit runs that could be a phone number masked. Stack positions (`file:1:2345`) stay readable.
 */
export const redactText = (text: string) =>
  redactNumbers(text.replace(/(https?:\/\/[^\s?#"'<>]*)[?#][^\s"'<>]*/g, '$1?…').replace(/(code\W{0,12})\d{4,8}/gi, '$1***'));

/**
 * An error as it may be logged: its name, and its message and stack through {@link redactText}; not its
 * `cause` nor its other properties (an SDK error may carry the request it failed on).
 */
export function loggableError(error: unknown): { name: string; message: string; stack?: string } {
  if (!(error instanceof Error)) return { name: typeof error, message: redactText(String(error)) };
  return { name: error.name, message: redactText(error.message), ...(error.stack ? { stack: redactText(error.stack) } : {}) };
}

/** Log details with every string value through {@link redactText} (keys and reasons may hold a number). */
export const redactDetails = (details: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(details).map(([key, value]) => [key, typeof value === 'string' ? redactText(value) : value]));
