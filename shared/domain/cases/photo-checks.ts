import { photoChecks, type PhotoCheck } from '#shared/domain/photos/checks';
import { DEFAULT_FAR_METRES } from '#shared/domain/photos/evidence';
import type { PhotoFlag } from '#shared/domain/photos/model';
import type { PhotoStore } from '#shared/domain/photos/use-cases';
import type { Principal } from '#shared/domain/identity/model';
import type { DepartmentTree } from '#shared/domain/reference/departments';
import { localDay, staffScope } from './counters.ts';
import { visibility, type CaseDeps } from './deps.ts';
import type { Case, CaseEvent } from './model.ts';
import type { Counter, CounterDelta } from './ports.ts';

type Photos = { store: Pick<PhotoStore, 'getMany'> };

/**
 * 照片核查 for a staff case view, computed when read from what the upload processor kept (each photo's
 * time, place and earlier look-alikes): at most three reads after the case itself, none a Query.
 * 1. The case's photo records (one BatchGet).
 * 2. The records of the earlier photos its after photos resemble (one BatchGet): which case, which kind.
 * 3. Those other cases (GetItems in parallel; usually none or one): their numbers, shown only when the
 *    viewer may read that case itself (`visibility`); otherwise `reusedFrom` keeps the kind and the
 *    distance, drops the case's id and number, and says `outsideScope` (docs/decisions.md).
 */
export async function casePhotoChecks(deps: Pick<CaseDeps, 'store' | 'photos' | 'photoFarMetres'>, c: Case, timeline: CaseEvent[], viewer?: { principal: Principal; tree: DepartmentTree }): Promise<PhotoCheck[]> {
  const keys = [...c.beforePhotoKeys, ...c.afterPhotoKeys];
  if (keys.length === 0) return [];
  const { records, similar } = await readPhotos(deps.photos, keys);
  const otherCases = [...new Set(similar.map((p) => p.attachedTo).filter((id): id is string => Boolean(id) && id !== c.id))];
  const others = (await Promise.all(otherCases.map((id) => deps.store.getCase(id)))).filter((o): o is Case => o !== undefined);
  const checks = photoChecks({
    case: c,
    timeline,
    photos: new Map(records.map((p) => [p.photoKey, p])),
    similar: new Map(similar.map((p) => [p.photoKey, p])),
    caseNumbers: new Map([[c.id, c.caseNumber], ...others.map((o) => [o.id, o.caseNumber] as [string, string | undefined])]),
    farMetres: deps.photoFarMetres ?? DEFAULT_FAR_METRES,
  });
  if (!viewer) return checks;
  const readable = new Set([c.id, ...others.filter((o) => visibility(o, viewer.principal, viewer.tree) === 'staff').map((o) => o.id)]);
  return checks.map((check) => {
    if (!check.reusedFrom?.caseId || readable.has(check.reusedFrom.caseId)) return check;
    const { kind, hammingDistance } = check.reusedFrom;
    return { ...check, reusedFrom: { kind, hammingDistance, outsideScope: true } };
  });
}

/** The photo records of `keys`, and the records of the earlier photos their after photos resemble. */
async function readPhotos(photos: Photos, keys: string[]) {
  const records = await photos.store.getMany(keys);
  const similarKeys = [...new Set(records.filter((p) => p.kind === 'after').flatMap((p) => (p.similar ?? []).map((s) => s.photoKey)))];
  const similar = similarKeys.length ? await photos.store.getMany(similarKeys) : [];
  return { records, similar };
}

/** The counter of each flag. */
export const FLAG_COUNTERS: Record<PhotoFlag, Counter> = {
  reused: 'photosReused',
  'far-from-case': 'photosFarFromCase',
  'taken-before-dispatch': 'photosTakenBeforeDispatch',
  'no-time': 'photosNoTime',
};

/**
 * 照片存疑 counts of one completion: its after photos (the event's `photoKeys`), those with any flag and
 * each flag, for the person who completed it (`staff#…`) and the department that held the case then
 * (the last dispatch before the completion; else the case's assignment), on the completion's local day.
 * The checks are the staff view's, as they stand when the completion is processed: every fact they rest
 * on is fixed by then (the photos were processed before they could be attached; the timeline up to the
 * completion does not change) except which case a look-alike is attached to, which is read now.
 * Two reads (BatchGets), no Query. Nothing for an event without photos.
 */
export async function completionPhotoCounters(deps: { photos: Photos; photoFarMetres?: number | undefined }, c: Case, timeline: readonly CaseEvent[], event: CaseEvent): Promise<CounterDelta[]> {
  const photoKeys = event.photoKeys ?? [];
  if (event.action !== 'complete' || photoKeys.length === 0) return [];
  const { records, similar } = await readPhotos(deps.photos, photoKeys);
  const checks = photoChecks({
    case: { id: c.id, location: c.location, beforePhotoKeys: [], afterPhotoKeys: photoKeys },
    timeline,
    photos: new Map(records.map((p) => [p.photoKey, p])),
    similar: new Map(similar.map((p) => [p.photoKey, p])),
    caseNumbers: new Map(),
    farMetres: deps.photoFarMetres ?? DEFAULT_FAR_METRES,
  });
  const add: Partial<Record<Counter, number>> = { afterPhotos: checks.length };
  for (const check of checks) {
    if (check.flags.length) add.photosFlagged = (add.photosFlagged ?? 0) + 1;
    for (const flag of check.flags) add[FLAG_COUNTERS[flag]] = (add[FLAG_COUNTERS[flag]] ?? 0) + 1;
  }
  const day = localDay(new Date(event.at));
  const department = [...timeline].reverse().find((e) => e.seq < event.seq && e.action === 'dispatch' && e.departmentId)?.departmentId ?? c.assignment?.departmentId;
  return [{ scope: staffScope(event.actor.id), day, add }, ...(department ? [{ scope: `department#${department}`, day, add: { ...add } }] : [])];
}
