import { PhotoPendingError, ValidationError, type FieldIssue } from '#shared/domain/errors';
import { toWgs84, type InputLocation } from '#shared/domain/geo/coordinates';
import type { Principal } from '#shared/domain/identity/model';
import { takeQuota, type QuotaCounter, type QuotaPolicy } from '#shared/domain/quotas';
import { evidenceOf, type ExifFacts, type PhotoEvidence } from './evidence.ts';
import { cleanKeyOf, PHOTO_POLICY, photoKeyFor, sniffType, thumbKeyOf, type Photo, type PhotoKind, type PhotoType } from './model.ts';

/** The photo records on the table. */
export interface PhotoStore {
  createPending(value: Photo): Promise<void>;
  get(photoKey: string): Promise<Photo | undefined>;
  getMany(photoKeys: string[]): Promise<Photo[]>;
  settle(photoKey: string, outcome: ({ status: 'ready'; width: number; height: number; size: number } & PhotoEvidence) | { status: 'rejected'; reason: string }): Promise<boolean>;
}

/**
 * What each photo step needs — kept apart so that a function loads only its own part (the upload
 * signer, the view signer, or the bucket's objects and the image decoder), never all of them.
 */
export interface UploadDeps {
  store: PhotoStore;
  uploads: { presignUpload(key: string, contentType: string, maxBytes: number, expiresSeconds: number): Promise<{ url: string; fields: Record<string, string> }> };
  /** Per-citizen upload-grant quotas (absent: no limit). */
  quotas?: { counter: QuotaCounter; policy: QuotaPolicy } | undefined;
  now: () => Date;
  newId: () => string;
}

export interface ProcessingDeps {
  store: PhotoStore;
  objects: {
    read(key: string, maxBytes: number): Promise<Buffer>;
    write(key: string, body: Buffer, contentType: string): Promise<unknown>;
    remove(key: string): Promise<unknown>;
  };
  clean(input: Buffer, type: PhotoType): Promise<{ clean: Buffer; width: number; height: number; thumbnail: Buffer }>;
  /** EXIF time and GPS, and the perceptual hash (absent for a picture too plain to compare). */
  readEvidence(input: Buffer): Promise<{ exif: ExifFacts; phash: string | undefined }>;
  /** The near-duplicate index of hashes (absent: no hashing, e.g. in tests of other rules). */
  hashes?: {
    findSimilar(phash: string, self?: string): Promise<{ matches: Array<{ photoKey: string; distance: number }> }>;
    add(photoKey: string, phash: string, createdAt: string): Promise<void>;
  };
}

export interface PhotoViewer {
  presignView(key: string, expiresSeconds: number): Promise<string>;
}

/**
 * 上传照片 — hand out a presigned POST for one photo.
 * 1. A fresh random key of that kind (the key names nobody; the record holds the owner, and only the
 *    owner may attach it).
 * 2. Count the citizen's upload quota (hour, day; 429 when full; staff are exempt).
 * 3. Record the photo as pending (it expires if never used), with the time and place the app says it
 *    was taken (WGS84), kept as evidence for staff.
 * 4. Presign a POST bound to that key, type and size.
 */
export async function requestUpload(
  deps: UploadDeps,
  principal: Principal,
  input: { kind: PhotoKind; contentType: PhotoType; size: number; capturedAt?: string | undefined; capturedLocation?: InputLocation | undefined },
) {
  const photoKey = photoKeyFor(input.kind, deps.newId(), input.contentType);
  const at = deps.now();
  if (deps.quotas) await takeQuota(deps.quotas, 'upload', principal, at);
  await deps.store.createPending({
    photoKey,
    ownerId: principal.userId,
    kind: input.kind,
    contentType: input.contentType,
    declaredSize: input.size,
    status: 'pending',
    createdAt: at.toISOString(),
    ...(input.capturedAt ? { capturedAt: input.capturedAt } : {}),
    ...(input.capturedLocation ? { capturedLocation: toWgs84(input.capturedLocation) } : {}),
  });
  const upload = await deps.uploads.presignUpload(photoKey, input.contentType, input.size, PHOTO_POLICY.uploadExpiresSeconds);
  return { photoKey, upload, expiresAt: new Date(at.getTime() + PHOTO_POLICY.uploadExpiresSeconds * 1000).toISOString() };
}

const TYPE_NAMES: Record<PhotoType, string> = { 'image/jpeg': 'a JPEG', 'image/png': 'a PNG', 'image/webp': 'a WebP' };

/**
 * 校验 — validate an uploaded object (S3 object-created event; locally, after s3rver stores it).
 * 1. Only a pending photo is processed (events may repeat).
 * 2. Size within the declared size; magic bytes match the declared type; it decodes as an image.
 * 3. Keep the evidence first: EXIF time and GPS (over the app's values), the perceptual hash, and the
 *    earlier photos within 6 bits of it (found before this one is indexed, so never itself).
 * 4. Serve only a re-encoded copy without metadata (no GPS), plus a thumbnail; index the hash (the same
 *    seven items on a repeat); mark it ready with its evidence.
 * Anything else marks it rejected with the reason and deletes the object.
 */
export async function processUpload(deps: ProcessingDeps, photoKey: string): Promise<Photo['status'] | 'ignored'> {
  const photo = await deps.store.get(photoKey);
  if (!photo || photo.status !== 'pending') return 'ignored';
  let reason: string;
  try {
    const bytes = await deps.objects.read(photoKey, photo.declaredSize);
    const actual = sniffType(bytes.subarray(0, 16));
    if (actual !== photo.contentType) {
      reason = actual ? `The file is ${TYPE_NAMES[actual]}, not ${photo.contentType} as declared` : 'The file is not a JPEG, PNG or WebP image';
    } else {
      const [cleaned, found] = await Promise.all([deps.clean(bytes, photo.contentType), deps.readEvidence(bytes)]);
      const evidence: PhotoEvidence = evidenceOf(found.exif, photo);
      if (found.phash && deps.hashes) {
        evidence.phash = found.phash;
        const { matches } = await deps.hashes.findSimilar(found.phash, photoKey);
        if (matches.length) evidence.similar = matches;
      }
      await Promise.all([deps.objects.write(cleanKeyOf(photoKey), cleaned.clean, photo.contentType), deps.objects.write(thumbKeyOf(photoKey), cleaned.thumbnail, 'image/jpeg')]);
      if (evidence.phash && deps.hashes) await deps.hashes.add(photoKey, evidence.phash, photo.createdAt);
      await deps.store.settle(photoKey, { status: 'ready', width: cleaned.width, height: cleaned.height, size: bytes.length, ...evidence });
      return 'ready';
    }
  } catch (error) {
    reason = error instanceof RangeError ? error.message : 'The file could not be decoded as an image';
  }
  await deps.store.settle(photoKey, { status: 'rejected', reason });
  await deps.objects.remove(photoKey);
  return 'rejected';
}

const STILL_CHECKED = 'The photo has not been uploaded or is still being checked; try again in a moment';

/** How long a client waits before it sends a step again whose photo was still being checked (`Retry-After`). */
export const PHOTO_PENDING_RETRY_SECONDS = 2;

/**
 * A case step's photos must all be attachable as `kind` by `principal` (report, complete, a check's
 * answer). Photos still being checked after their upload, and nothing else wrong: 409 PHOTO_PENDING with
 * `Retry-After` — not a refusal, the same request succeeds once they are ready. Anything else wrong (also
 * with pending ones among them): 400 with every problem.
 */
export async function requireAttachable(deps: { store: Pick<PhotoStore, 'getMany'> }, principal: Principal, photoKeys: string[], kind: PhotoKind): Promise<void> {
  const problems = await attachProblems(deps, principal, photoKeys, kind);
  if (problems.length === 0) return;
  if (problems.every((p) => p.message === STILL_CHECKED)) {
    throw new PhotoPendingError('A photo is still being checked after its upload; try again in a moment', PHOTO_PENDING_RETRY_SECONDS, { id: 'photo.pending', params: { seconds: PHOTO_PENDING_RETRY_SECONDS } });
  }
  throw new ValidationError('Some photos cannot be attached', problems);
}

/**
 * Why each key cannot be attached as `kind` by `principal` (empty when all can): never uploaded,
 * someone else's, the wrong kind, still processing, rejected, or already on a case.
 */
export async function attachProblems(deps: { store: Pick<PhotoStore, 'getMany'> }, principal: Principal, photoKeys: string[], kind: PhotoKind): Promise<FieldIssue[]> {
  const found = new Map((await deps.store.getMany(photoKeys)).map((p) => [p.photoKey, p]));
  const problems: FieldIssue[] = [];
  photoKeys.forEach((key, i) => {
    const photo = found.get(key);
    const path = `photoKeys.${i}`;
    if (!photo || photo.ownerId !== principal.userId) problems.push({ path, message: 'No such upload of yours' });
    else if (photo.kind !== kind) problems.push({ path, message: `This is ${photo.kind === 'after' ? 'an after' : 'a before'} photo; ${kind} photos are needed here` });
    else if (photo.status === 'pending') problems.push({ path, message: STILL_CHECKED });
    else if (photo.status === 'rejected') problems.push({ path, message: `The photo was refused: ${photo.reason}` });
    else if (photo.attachedTo) problems.push({ path, message: 'The photo is already attached to a case' });
  });
  if (new Set(photoKeys).size !== photoKeys.length) problems.push({ path: 'photoKeys', message: 'A photo is listed twice' });
  return problems;
}

/** Short-lived signed URLs of the cleaned copy and the thumbnail. */
export async function photoView(viewer: PhotoViewer, photoKey: string) {
  const [url, thumbnailUrl] = await Promise.all([
    viewer.presignView(cleanKeyOf(photoKey), PHOTO_POLICY.viewExpiresSeconds),
    viewer.presignView(thumbKeyOf(photoKey), PHOTO_POLICY.viewExpiresSeconds),
  ]);
  return { photoKey, url, thumbnailUrl };
}
