import { fileCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(fileCase, (body) => ({ action: 'file', ...body }));
