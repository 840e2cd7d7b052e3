import { resumeCase } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(resumeCase, (body) => ({ action: 'resume', ...body }));
