import type { LatLng } from '#shared/domain/geo/coordinates';

/**
 * Photo evidence (照片佐证): what an after photo proves — taken here, taken after the case reached its
 * handler, not reused from another case. Kept before the served copy is stripped; staff only.
 */

/** What the upload processor reads from a photo's own EXIF (absent when the photo carries none). */
export interface ExifFacts {
  /** `DateTimeOriginal` as written: a wall-clock time `YYYY-MM-DDTHH:MM:SS`, no zone. */
  dateTimeOriginal?: string | undefined;
  /** `OffsetTimeOriginal` (`+08:00`), when the camera wrote one. */
  offsetTimeOriginal?: string | undefined;
  /** GPS latitude/longitude (WGS84, as cameras write it), when present and on the globe. */
  gps?: LatLng | undefined;
}

/** The evidence kept on a photo record: when and where it was taken, from EXIF or the app, and its hash. */
export interface PhotoEvidence {
  takenAt?: string | undefined;
  takenAtSource?: 'exif' | 'app' | undefined;
  takenLocation?: LatLng | undefined;
  takenLocationSource?: 'exif' | 'app' | undefined;
  /** 64-bit difference hash (dHash), 16 hex digits; absent for a photo too plain to compare. */
  phash?: string | undefined;
  /** Earlier photos within {@link REUSE_DISTANCE} bits, nearest first (at most {@link MAX_SIMILAR}). */
  similar?: Array<{ photoKey: string; distance: number }> | undefined;
}

/** China Standard Time: what a camera's wall clock means when it wrote no offset (no DST since 1991). */
export const DEFAULT_EXIF_OFFSET = '+08:00';
/** Two hashes this close (Hamming distance, bits) are the same picture, recompressed or resized. */
export const REUSE_DISTANCE = 6;
/** Matches kept per photo. */
export const MAX_SIMILAR = 20;
/** A flagged after photo is farther than this from the case (metres; `PHOTO_FAR_METRES`). */
export const DEFAULT_FAR_METRES = 200;

const OFFSET = /^([+-])(\d{2}):(\d{2})$/;
const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** The UTC instant of an EXIF wall-clock time and offset (Asia/Shanghai without one); undefined if unreadable. */
export function exifInstant(wall: string, offset: string | undefined): string | undefined {
  const w = WALL.exec(wall);
  const o = OFFSET.exec(offset?.trim() || DEFAULT_EXIF_OFFSET) ?? OFFSET.exec(DEFAULT_EXIF_OFFSET)!;
  if (!w) return undefined;
  const [, y, mo, d, h, mi, s] = w.map(Number) as [number, number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1990) return undefined;
  const minutes = (o[1] === '-' ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3]));
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - minutes * 60_000).toISOString();
}

/**
 * 1. The time: EXIF `DateTimeOriginal` (with its offset, else Asia/Shanghai) wins over the app's
 *    `capturedAt`; the place: EXIF GPS wins over the app's `capturedLocation`. Each says its source.
 */
export function evidenceOf(exif: ExifFacts, app: { capturedAt?: string | undefined; capturedLocation?: LatLng | undefined }): Omit<PhotoEvidence, 'phash' | 'similar'> {
  const exifTime = exif.dateTimeOriginal ? exifInstant(exif.dateTimeOriginal, exif.offsetTimeOriginal) : undefined;
  const time = exifTime ? { takenAt: exifTime, takenAtSource: 'exif' as const } : app.capturedAt ? { takenAt: app.capturedAt, takenAtSource: 'app' as const } : {};
  const place = exif.gps
    ? { takenLocation: exif.gps, takenLocationSource: 'exif' as const }
    : app.capturedLocation
      ? { takenLocation: app.capturedLocation, takenLocationSource: 'app' as const }
      : {};
  return { ...time, ...place };
}

/**
 * dHash of a 9×8 greyscale thumbnail (row-major, 72 values 0–255): bit i is set when a pixel is
 * brighter than its right-hand neighbour — 8 comparisons per row, 8 rows, 64 bits, as 16 hex digits.
 * Undefined when the thumbnail's range is under {@link PLAIN_RANGE} grey levels: a plain picture (a wall,
 * the night sky) hashes to noise or to all zeros, and would "match" every other plain picture.
 */
export function dHash(grey: ArrayLike<number>): string | undefined {
  if (grey.length !== 72) throw new RangeError(`dHash needs 9×8 pixels, got ${grey.length}`);
  let min = 255;
  let max = 0;
  for (let i = 0; i < 72; i++) {
    min = Math.min(min, grey[i]!);
    max = Math.max(max, grey[i]!);
  }
  if (max - min < PLAIN_RANGE) return undefined;
  let bits = 0n;
  for (let row = 0; row < 8; row++) {
    for (let col = 0; col < 8; col++) bits = (bits << 1n) | (grey[row * 9 + col]! > grey[row * 9 + col + 1]! ? 1n : 0n);
  }
  return bits.toString(16).padStart(16, '0');
}
export const PLAIN_RANGE = 12;

/** Bits in which two 64-bit hashes (16 hex digits) differ. */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (x) {
    x &= x - 1n;
    count++;
  }
  return count;
}

/**
 * Multi-index hashing: the 64 bits in 7 blocks (6 of 9 bits, the last of 10). Two hashes within 6 bits
 * differ in at most 6 blocks, so by pigeonhole they share at least one of the 7 blocks exactly: one
 * exact lookup per block finds every photo within {@link REUSE_DISTANCE}, and each candidate is then
 * checked by its full distance. (Fewer, wider blocks would not guarantee it; more, narrower ones make
 * fuller buckets.)
 */
export const HASH_BLOCKS: ReadonlyArray<{ shift: number; bits: number }> = [0, 9, 18, 27, 36, 45, 54].map((shift, i) => ({ shift, bits: i === 6 ? 10 : 9 }));

/** Each block's value of a hash, as lower-case hex (block 0 holds the lowest 9 bits). */
export function hashBlocks(hash: string): Array<{ block: number; value: string }> {
  const bits = BigInt(`0x${hash}`);
  return HASH_BLOCKS.map(({ shift, bits: width }, block) => ({ block, value: ((bits >> BigInt(shift)) & ((1n << BigInt(width)) - 1n)).toString(16) }));
}
