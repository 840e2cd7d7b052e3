import { returnCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(returnCase, (body) => ({ action: 'return', ...body }));
