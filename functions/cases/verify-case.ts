import { verifyCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(verifyCase, (body) => ({ action: 'verify', ...body }));
