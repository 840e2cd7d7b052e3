import { distanceMetres } from '#shared/domain/geo/nearness';
import type { LatLng } from '#shared/domain/geo/coordinates';
import type { PhotoFlag, PhotoKind } from './model.ts';
import type { PhotoEvidence } from './evidence.ts';


export interface PhotoCheck {
  photoKey: string;
  kind: PhotoKind;
  takenAt?: string;
  takenAtSource?: 'exif' | 'app';
  distanceMetres?: number;
  /** The other case is named only to a viewer who may read it; else `outsideScope` (id and number left out). */
  reusedFrom?: { caseId?: string; caseNumber?: string; kind: PhotoKind; hammingDistance: number; outsideScope?: true };
  flags: PhotoFlag[];
}

/** The facts the checks are made from, all read already (the checks themselves read nothing). */
export interface CheckFacts {
  case: { id: string; location?: LatLng | undefined; beforePhotoKeys: string[]; afterPhotoKeys: string[] };
  timeline: ReadonlyArray<{ seq: number; at: string; action: string; photoKeys?: string[] | undefined }>;
  /** The case's own photo records (with their evidence), by key. */
  photos: ReadonlyMap<string, PhotoEvidence & { kind: PhotoKind }>;
  /** The records of the earlier photos the case's after photos resemble: which case each is on, and its kind. */
  similar: ReadonlyMap<string, { attachedTo?: string | undefined; kind: PhotoKind }>;
  /** Numbers of the cases those are on. */
  caseNumbers: ReadonlyMap<string, string | undefined>;
  farMetres: number;
}

/** Timeline steps after which the handler has the case (again): a dispatch hop, a rework. */
const REACHED_HANDLER = new Set(['dispatch', 'rework']);

/**
 * 照片核查 — the checks of every photo of a case.
 * 1. `takenAt` and its source (EXIF over the app); `no-time` without one.
 * 2. `distanceMetres` from the case's location; `far-from-case` beyond `farMetres`.
 * 3. After photos only: `taken-before-dispatch` when taken before the last dispatch or rework that
 *    preceded the completion that attached it; `reused` when within 6 bits of a photo of another case,
 *    or of this case's own before photo (nearest such photo named). Before photos are never `reused`:
 *    citizens' duplicate reports of one problem look alike by nature.
 */
export function photoChecks(facts: CheckFacts): PhotoCheck[] {
  const keys: Array<[string, PhotoKind]> = [...facts.case.beforePhotoKeys.map((k) => [k, 'before'] as [string, PhotoKind]), ...facts.case.afterPhotoKeys.map((k) => [k, 'after'] as [string, PhotoKind])];
  return keys.map(([photoKey, kind]) => {
    const evidence: PhotoEvidence = facts.photos.get(photoKey) ?? {};
    const flags: PhotoFlag[] = [];
    const check: PhotoCheck = { photoKey, kind, flags };
    if (evidence.takenAt) {
      check.takenAt = evidence.takenAt;
      if (evidence.takenAtSource) check.takenAtSource = evidence.takenAtSource;
    }
    if (evidence.takenLocation && facts.case.location) check.distanceMetres = distanceMetres(evidence.takenLocation, facts.case.location);
    if (kind === 'after') {
      const reused = reusedFrom(facts, evidence.similar ?? []);
      if (reused) {
        check.reusedFrom = reused;
        flags.push('reused');
      }
    }
    if (check.distanceMetres !== undefined && check.distanceMetres > facts.farMetres) flags.push('far-from-case');
    if (kind === 'after' && check.takenAt) {
      const reached = reachedHandlerAt(facts.timeline, photoKey);
      if (reached && Date.parse(check.takenAt) < Date.parse(reached)) flags.push('taken-before-dispatch');
    }
    if (!check.takenAt) flags.push('no-time');
    return check;
  });
}

function reusedFrom(facts: CheckFacts, similar: NonNullable<PhotoEvidence['similar']>): PhotoCheck['reusedFrom'] {
  for (const match of similar) {
    const other = facts.similar.get(match.photoKey);
    if (!other?.attachedTo) continue;
    if (other.attachedTo === facts.case.id && other.kind !== 'before') continue;
    const caseNumber = facts.caseNumbers.get(other.attachedTo);
    return { caseId: other.attachedTo, ...(caseNumber ? { caseNumber } : {}), kind: other.kind, hammingDistance: match.distance };
  }
  return undefined;
}

/** When the case last reached its handler before the completion that attached the photo (else before now). */
function reachedHandlerAt(timeline: CheckFacts['timeline'], photoKey: string): string | undefined {
  const completion = timeline.find((e) => e.action === 'complete' && e.photoKeys?.includes(photoKey));
  const before = timeline.filter((e) => REACHED_HANDLER.has(e.action) && (!completion || e.seq < completion.seq));
  return before.at(-1)?.at;
}
