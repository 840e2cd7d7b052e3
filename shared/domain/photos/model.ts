import type { LatLng } from '#shared/domain/geo/coordinates';
import type { PhotoEvidence } from './evidence.ts';

/**
 * Photos are evidence: before photos come with a report, after photos with a completion. A photo is
 * uploaded straight to S3 under the uploader's own prefix, validated and cleaned by the upload
 * processor, and attached to exactly one case.
 */
export const PHOTO_KINDS = ['before', 'after'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

/** What a staff case view says about each photo (照片核查, before 核查通过): shown, not weighed. */
export const PHOTO_FLAGS = ['reused', 'far-from-case', 'taken-before-dispatch', 'no-time'] as const;
export type PhotoFlag = (typeof PHOTO_FLAGS)[number];

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

export const PHOTO_POLICY = {
  maxBytes: 10 * 1024 * 1024,
  /** How long a presigned POST stays usable. */
  uploadExpiresSeconds: 300,
  /** How long a signed GET of a cleaned photo or thumbnail stays usable. */
  viewExpiresSeconds: 300,
  thumbnailWidth: 320,
  /** Images larger than this in either dimension are refused (decompression bombs). */
  maxDimension: 12_000,
};

export const EXTENSION: Record<PhotoType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** A photo's record; once processed it carries its evidence (time, place, hash, earlier look-alikes: staff only). */
export interface Photo extends PhotoEvidence {
  photoKey: string;
  ownerId: string;
  kind: PhotoKind;
  contentType: PhotoType;
  declaredSize: number;
  status: 'pending' | 'ready' | 'rejected';
  reason?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  size?: number | undefined;
  attachedTo?: string | undefined;
  createdAt: string;
  /** What the app said when it asked for the upload (POST /v1/uploads): its clock and position then. */
  capturedAt?: string | undefined;
  capturedLocation?: LatLng | undefined;
}

/**
 * `uploads/{kind}/{uuid}.{ext}`. The key names no person: it appears in signed URLs and on timelines that
 * citizens read, so the owner lives only on the photo record (attaching checks it there). Keys issued
 * before this format, `uploads/{userId}/{kind}/{uuid}.{ext}`, stay valid (see {@link publicPhotoKey}).
 */
export const photoKeyFor = (kind: PhotoKind, id: string, type: PhotoType) => `uploads/${kind}/${id}.${EXTENSION[type]}`;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** Every key POST /v1/uploads ever issued: the current shape and the earlier one with the owner's id. */
export const PHOTO_KEY_PATTERN = new RegExp(`^uploads/(${UUID}/)?(before|after)/${UUID}\\.(jpg|png|webp)$`);
/** The longest key of {@link PHOTO_KEY_PATTERN} (an earlier-format key: 93 characters). */
export const PHOTO_KEY_MAX_LENGTH = 128;

/**
 * The key as shown to a reporter: an earlier-format key loses its owner segment, so no user id
 * reaches a citizen (`uploads/{userId}/after/{uuid}.jpg` → `uploads/after/{uuid}.jpg`). Current keys
 * are shown as they are. The uuid keeps it unique within the case.
 */
export const publicPhotoKey = (photoKey: string) => photoKey.replace(new RegExp(`^uploads/${UUID}/`), 'uploads/');
/** The cleaned (metadata-free) copy that is served. */
export const cleanKeyOf = (photoKey: string) => photoKey.replace(/^uploads\//, 'clean/');
export const thumbKeyOf = (photoKey: string) => photoKey.replace(/^uploads\//, 'thumbs/');

/** The type the file's first bytes say it is (magic numbers), whatever its name or declared type. */
export function sniffType(head: Uint8Array): PhotoType | undefined {
  const at = (i: number, ...bytes: number[]) => bytes.every((b, j) => head[i + j] === b);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}
