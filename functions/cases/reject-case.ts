import { rejectCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(rejectCase, (body) => ({ action: 'reject', ...body }));
