import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger per container. Never log a phone number, an SMS code, a token or a precise
 * coordinate: log ids and outcomes instead.
 */
export const logger = new Logger({ serviceName: 'citygrid' });

/** Masks digit runs that could be a phone number (7+ digits) in text from elsewhere, e.g. an SDK error. */
export const redactNumbers = (text: string) => text.replace(/\+?\d[\d -]{5,}\d/g, '***');
