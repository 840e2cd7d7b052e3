import { dispatchCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(dispatchCase, (body) => ({ action: 'dispatch', ...body }));
