import { requestCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(requestCase, (body) => ({ action: 'request', ...body }));
