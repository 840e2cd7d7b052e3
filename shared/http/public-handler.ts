import type { Access, RouteSpec } from '#shared/contract/route-spec';
import { buildHttpHandler, type HandlerOptions, type RouteFn } from './stack.ts';

export type { HttpRequest, HttpResult } from './stack.ts';

type UnauthenticatedAccess = Exclude<Access, readonly unknown[]>;

/**
 * An HTTP function on the one middy stack for routes without roles (public, signed, local): it does not
 * load the token verifier or the user store, so e.g. the health check starts with neither.
 */
export const publicHttpHandler = <R extends RouteSpec & { access: UnauthenticatedAccess }>(route: R, fn: RouteFn<R>, options?: HandlerOptions) =>
  buildHttpHandler(route, fn, undefined, options);
