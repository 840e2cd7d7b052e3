import { photoChecks, type PhotoCheck } from '#shared/domain/photos/checks';
import { DEFAULT_FAR_METRES } from '#shared/domain/photos/evidence';
import type { CaseDeps } from './deps.ts';
import type { Case, CaseEvent } from './model.ts';

/**
 * 照片核查 for a staff case view, computed when read from what the upload processor kept (each photo's
 * time, place and earlier look-alikes): at most three reads after the case itself, none a Query.
 * 1. The case's photo records (one BatchGet).
 * 2. The records of the earlier photos its after photos resemble (one BatchGet): which case, which kind.
 * 3. Those other cases, for their numbers (GetItems in parallel; usually none or one).
 */
export async function casePhotoChecks(deps: Pick<CaseDeps, 'store' | 'photos' | 'photoFarMetres'>, c: Case, timeline: CaseEvent[]): Promise<PhotoCheck[]> {
  const keys = [...c.beforePhotoKeys, ...c.afterPhotoKeys];
  if (keys.length === 0) return [];
  const records = await deps.photos.store.getMany(keys);
  const similarKeys = [...new Set(records.filter((p) => p.kind === 'after').flatMap((p) => (p.similar ?? []).map((s) => s.photoKey)))];
  const similar = similarKeys.length ? await deps.photos.store.getMany(similarKeys) : [];
  const otherCases = [...new Set(similar.map((p) => p.attachedTo).filter((id): id is string => Boolean(id) && id !== c.id))];
  const others = await Promise.all(otherCases.map((id) => deps.store.getCase(id)));
  return photoChecks({
    case: c,
    timeline,
    photos: new Map(records.map((p) => [p.photoKey, p])),
    similar: new Map(similar.map((p) => [p.photoKey, p])),
    caseNumbers: new Map([[c.id, c.caseNumber], ...others.flatMap((o) => (o ? [[o.id, o.caseNumber] as [string, string | undefined]] : []))]),
    farMetres: deps.photoFarMetres ?? DEFAULT_FAR_METRES,
  });
}
