import { ConflictError, NotFoundError } from '#shared/domain/errors';
import { coarse, coveringRanges, distanceMetres, type Point } from '#shared/domain/geo/nearness';
import type { Principal } from '#shared/domain/identity/model';
import { visibility, type CaseDeps } from './deps.ts';
import { isOpen, type Case } from './model.ts';
import { caseView } from './views.ts';

/** Similar cases are those reported within this many days. */
export const SIMILAR_WITHIN_DAYS = 30;
/** At most this many cases in a nearness answer (nearest first). */
export const NEARNESS_LIMIT = 50;

/** Open cases within `radius` of `point`, each with its distance, nearest first (covering ranges, then exact distances). */
async function openCasesNear(deps: CaseDeps, point: Point, radius: number) {
  const found = await deps.store.listOpenInRanges(coveringRanges(point, radius));
  return found
    .filter((c) => c.location && isOpen(c.status))
    .map((c) => ({ c, distance: distanceMetres(point, c.location!) }))
    .filter((x) => x.distance <= radius)
    .sort((a, b) => a.distance - b.distance);
}

/**
 * 疑似重复 — open cases near this one, for the agent deciding whether to merge.
 * 1. The case must be visible to the caller (404 otherwise); one without a location has no neighbours.
 * 2. Open cases within `radius` reported in the last 30 days, other than itself and visible to the caller.
 * 3. Same category first, then nearest first.
 */
export async function findSimilar(deps: CaseDeps, principal: Principal, id: string, radius: number) {
  const [c, tree] = await Promise.all([deps.store.getCase(id), deps.reference.departments()]);
  if (!c || !visibility(c, principal, tree)) throw new NotFoundError('No such case', { id: 'case.not-found' });
  if (!c.location) return { items: [] };
  const now = deps.now();
  const since = now.getTime() - SIMILAR_WITHIN_DAYS * 86_400_000;
  const sameCategory = (other: Case) => (c.categoryCode !== undefined && other.categoryCode === c.categoryCode ? 0 : 1);
  const items = (await openCasesNear(deps, c.location, radius))
    .filter(({ c: other }) => other.id !== c.id && Date.parse(other.createdAt) >= since && visibility(other, principal, tree) === 'staff')
    .sort((a, b) => sameCategory(a.c) - sameCategory(b.c) || a.distance - b.distance)
    .slice(0, NEARNESS_LIMIT);
  return { items: items.map(({ c: other, distance }) => ({ case: caseView(other, 'staff', now), distanceMetres: distance })) };
}

/**
 * 附近案件 — for a citizen about to report: open filed cases near a point, with no description, photos or
 * people, and the location coarsened to 4 decimals, so "me too" can replace a new report.
 */
export async function findNearby(deps: CaseDeps, point: Point, radius: number) {
  const items = (await openCasesNear(deps, point, radius)).filter(({ c }) => c.caseNumber !== undefined).slice(0, NEARNESS_LIMIT);
  return {
    items: items.map(({ c, distance }) => ({
      id: c.id,
      caseNumber: c.caseNumber!,
      ...(c.categoryName ? { categoryName: c.categoryName } : {}),
      status: c.status,
      distanceMetres: distance,
      location: coarse(c.location!),
      createdAt: c.createdAt,
      supporterCount: c.supporterCount ?? 0,
    })),
  };
}

/**
 * 我也遇到 "me too" — a citizen supports an open filed case.
 * 1. Only open, filed cases (the ones `nearby` shows) can be supported (404 for others, 409 once closed).
 * 2. Once per person: the follower item is created conditionally with the count, in one transaction; a
 *    repeat changes nothing and answers the same.
 * 3. The supporter follows the case: texted when it closes.
 */
export async function supportCase(deps: CaseDeps, principal: Principal, id: string) {
  for (let attempt = 1; ; attempt++) {
    const c = await deps.store.getCase(id);
    if (!c || c.caseNumber === undefined) throw new NotFoundError('No such case', { id: 'case.not-found' });
    const answer = (x: Case) => ({ case: { id: x.id, caseNumber: x.caseNumber!, supporterCount: x.supporterCount ?? 0 } });
    // The reporter follows their own case already: their "me too" counts nothing.
    if (c.reporterId === principal.userId) return answer(c);
    if (!isOpen(c.status)) {
      // A repeat after closing still answers as a repeat (the person is a follower already).
      const followers = await deps.store.listFollowers(c.id);
      if (followers.some((f) => f.kind === 'user' && f.userId === principal.userId)) return answer(c);
      throw new ConflictError(`This case is ${c.status}`, 'CONFLICT', { id: 'support.not-open' });
    }
    const at = deps.now().toISOString();
    const next: Case = { ...c, supporterCount: (c.supporterCount ?? 0) + 1, updatedAt: at, version: c.version + 1 };
    const outcome = await deps.store.addSupporter({ expectedVersion: c.version, next, follower: { kind: 'user', userId: principal.userId }, at });
    if (outcome === 'added') return answer(next);
    if (outcome === 'already-following') return answer(c);
    if (attempt >= 5) throw new ConflictError('The case is busy; try again', 'CONFLICT', { id: 'case.busy' });
  }
}
