import { superviseCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(superviseCase, (body) => ({ action: 'supervise', ...body }));
