import { decideRequest } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(decideRequest, (body) => ({ action: 'decide', ...body }));
