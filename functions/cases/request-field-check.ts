import { requestFieldCheck } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(requestFieldCheck, (body) => ({ action: 'field-check', ...body }));
