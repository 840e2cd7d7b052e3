import type { RouteSpec } from '#shared/contract/route-spec';
import { authenticate } from './auth.ts';
import { buildHttpHandler, type RouteFn } from './stack.ts';

export type { HttpRequest, HttpResult, RouteFn } from './stack.ts';

/** An HTTP function on the one middy stack, with token and role checks for routes that take roles. */
export const httpHandler = <R extends RouteSpec>(route: R, fn: RouteFn<R>) => buildHttpHandler(route, fn, authenticate);
