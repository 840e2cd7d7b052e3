import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors';
import { toWgs84, type InputLocation } from '#shared/domain/geo/coordinates';
import type { Principal } from '#shared/domain/identity/model';
import { takeQuota } from '#shared/domain/quotas';
import { attachProblems } from '#shared/domain/photos/use-cases';
import { counterDeltas } from './counters.ts';
import type { CaseDeps } from './deps.ts';
import { newReportedCase, type Channel } from './model.ts';
import { caseView } from './views.ts';

const hashBody = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('base64url');

export interface ReportInput {
  description: string;
  location: InputLocation;
  address?: string | undefined;
  photoKeys?: string[] | undefined;
  categoryCode?: string | undefined;
  channel?: 'app' | 'wechat' | undefined;
}

/**
 * 信息收集 — report a problem (citizen: app/WeChat; supervisor: patrol).
 * 1. Replay an Idempotency-Key: same body → the first case; another body → 409.
 * 2. Locate the grid from the (WGS84-converted) location; check the category hint and the photos.
 * 3. Count the citizen's report quota (hour, day; 429 when full; patrol supervisors are exempt).
 * 4. Write the case, its `report` event and the day's `received` counter in one transaction.
 */
export async function reportCase(deps: CaseDeps, principal: Principal, input: ReportInput, idempotencyKey?: string) {
  const bodyHash = hashBody(input);
  // A retry is answered from the first request's record before anything is checked again: its photos
  // are attached by now, and that must not turn the retry into a 400.
  if (idempotencyKey) {
    const seen = await deps.store.getIdempotency(principal.userId, idempotencyKey);
    if (seen) return replay(deps, seen, bodyHash);
  }
  const location = toWgs84(input.location);
  const [grids, categories] = await Promise.all([deps.reference.grids(), input.categoryCode ? deps.reference.categories() : undefined]);
  if (input.categoryCode && !categories?.has(input.categoryCode)) {
    throw new ValidationError('Unknown category', [{ path: 'categoryCode', message: `No category ${input.categoryCode}` }]);
  }
  const photoProblems = await attachProblems(deps.photos, principal, input.photoKeys ?? [], 'before');
  if (photoProblems.length > 0) throw new ValidationError('Some photos cannot be attached', photoProblems);

  const grid = grids.locate(location.lat, location.lng);
  const at = deps.now();
  if (deps.quotas) await takeQuota(deps.quotas, 'report', principal, at);
  const isPatrol = principal.roles.includes('supervisor') && !principal.roles.includes('citizen');
  const channel: Channel = isPatrol ? 'patrol' : (input.channel ?? 'app');
  const category = input.categoryCode ? categories?.get(input.categoryCode) : undefined;
  const { case: c, event } = newReportedCase(
    {
      id: deps.newId(),
      channel,
      description: input.description,
      location,
      address: input.address,
      gridId: grid?.id,
      gridName: grid?.name,
      district: grid?.district,
      categoryCode: category?.code,
      categoryName: category?.name,
      reporterId: principal.userId,
      beforePhotoKeys: input.photoKeys ?? [],
    },
    at,
    { id: principal.userId, role: isPatrol ? 'supervisor' : 'citizen', displayName: principal.displayName },
  );
  const outcome = await deps.store.createCase({
    case: c,
    event,
    counters: counterDeltas(c, at, { case: { received: 1 } }),
    ...(idempotencyKey ? { idempotency: { callerId: principal.userId, key: idempotencyKey, bodyHash } } : {}),
    ...(c.beforePhotoKeys.length ? { attach: { photoKeys: c.beforePhotoKeys, ownerId: principal.userId, kind: 'before' as const } } : {}),
  });
  if (outcome.created) return caseView(c, 'reporter', at);
  return replay(deps, outcome.existing, bodyHash);
}

/** The answer to a repeated Idempotency-Key: the first case for the same body, 409 for another. */
async function replay(deps: CaseDeps, seen: { caseId: string; bodyHash: string }, bodyHash: string) {
  if (seen.bodyHash !== bodyHash) throw new ConflictError('This Idempotency-Key was used with a different request body');
  const first = await deps.store.getCase(seen.caseId);
  if (!first) throw new NotFoundError('The case of this Idempotency-Key no longer exists');
  return caseView(first, 'reporter', deps.now());
}

