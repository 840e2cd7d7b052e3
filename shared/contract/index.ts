/**
 * THE route table, assembled from the contract's areas: the CDK app creates one function per entry,
 * the local gateway dispatches to the same handler modules, and the OpenAPI document is generated from
 * it. Add a route to its area's module and everything else follows. Functions never import this file —
 * each imports only its own route's spec from its area, so its bundle carries only its area's schemas.
 */
import type { RouteSpec } from './route-spec.ts';
import * as account from './account.ts';
import * as audit from './audit.ts';
import * as cases from './cases.ts';
import * as dev from './dev.ts';
import * as duplicates from './duplicates.ts';
import * as duty from './duty.ts';
import * as fieldChecks from './field-checks.ts';
import * as hotline from './hotline.ts';
import * as identity from './identity.ts';
import * as lifecycle from './lifecycle.ts';
import * as live from './live.ts';
import * as open311 from './open311.ts';
import * as photos from './photos.ts';
import * as reference from './reference.ts';
import * as stats from './stats.ts';
import * as system from './system.ts';

export * from './route-spec.ts';

export const routes = {
  ...system,
  ...dev,
  ...identity,
  ...account,
  ...reference,
  ...photos,
  ...cases,
  ...lifecycle,
  ...duplicates,
  ...fieldChecks,
  ...duty,
  ...stats,
  ...live,
  ...hotline,
  open311: open311.open311,
  createApiKey: open311.createApiKey,
  deleteApiKey: open311.deleteApiKey,
  listApiKeys: open311.listApiKeys,
  ...audit,
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof routes;

/** A route-table entry with its id (the operationId and the function's logical name). */
export type RouteEntry = RouteSpec & { id: RouteId };

/** The entries as a list, each with its id; the catch-all `$default` last. */
export const routeList = (): RouteEntry[] => {
  const entries = (Object.keys(routes) as RouteId[]).map((id) => ({ id, ...(routes[id] as RouteSpec) }));
  return [...entries.filter((e) => e.path !== '$default'), ...entries.filter((e) => e.path === '$default')];
};
