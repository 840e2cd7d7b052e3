import { completeCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(completeCase, (body) => ({ action: 'complete', ...body }));
