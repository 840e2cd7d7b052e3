import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger per container. Never log a phone number, an SMS code, a token or a precise
 * coordinate: log ids and outcomes instead.
 */
export const logger = new Logger({ serviceName: 'citygrid' });

/**
 * Masks digit runs that could be a phone number (7+ digits, spaces or hyphens inside) in text from
 * elsewhere, e.g. an SDK error; not inside a longer token (a UUID's groups, an ISO date stay readable).
 */
export const redactNumbers = (text: string) => text.replace(/(?<![\w-])\+?\d[\d -]{5,}\d(?![\w-])/g, '***');

/**
 * Text from elsewhere (an SDK's error message or stack) as it may be logged: URLs without their query
 * (an SMS provider's request URL carries the number and the code), the digits after a word `code`
 * masked (not an `errorCode`),
 * and digit runs that could be a phone number masked. Stack positions (`file:1:2345`) stay readable.
 */
export const redactText = (text: string) =>
  redactNumbers(text.replace(/https?:\/\/[^\s"'<>]+/g, (url) => url.replace(/[?#].*/, '?…')).replace(/(?<![a-z])(code\W{0,12})\d{4,8}/gi, '$1***'));

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
