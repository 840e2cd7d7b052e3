import { answerFieldCheck } from '#shared/contract/lifecycle';
import { transitionRoute } from './transition-route.ts';

export const handler = transitionRoute(answerFieldCheck, (body) => ({ action: 'field-check-answer', ...body }));
