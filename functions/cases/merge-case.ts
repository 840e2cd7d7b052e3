import { mergeCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(mergeCase, (body) => ({ action: 'merge', ...body }));
