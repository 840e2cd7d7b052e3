import { rateCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(rateCase, (body) => ({ action: 'rate', ...body }));
