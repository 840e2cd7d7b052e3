import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger per container. Never log a phone number, an SMS code, a token or a precise
 * coordinate: log ids and outcomes instead.
 */
export const logger = new Logger({ serviceName: 'citygrid' });
