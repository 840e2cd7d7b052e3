import exifReader from 'exif-reader';
import sharp, { type Sharp } from 'sharp';
import { roundCoordinate } from '#shared/domain/geo/coordinates';
import { dHash, type ExifFacts } from '#shared/domain/photos/evidence';
import { PHOTO_POLICY, type PhotoType } from '#shared/domain/photos/model';

/**
 * Decodes an image fully (a truncated or fake file fails here), applies its EXIF orientation, and
 * re-encodes it WITHOUT metadata (sharp drops EXIF/GPS/XMP/ICC unless asked to keep them), plus a
 * thumbnail for the console.
 */
export async function cleanImage(input: Buffer, type: PhotoType) {
  const image = sharp(input, { failOn: 'error', limitInputPixels: PHOTO_POLICY.maxDimension * PHOTO_POLICY.maxDimension });
  const meta = await image.metadata();
  if (!meta.width || !meta.height || meta.width > PHOTO_POLICY.maxDimension || meta.height > PHOTO_POLICY.maxDimension) {
    throw new RangeError(`Image dimensions ${meta.width}×${meta.height} are out of range`);
  }
  const encode = (pipeline: Sharp) =>
    type === 'image/png' ? pipeline.png() : type === 'image/webp' ? pipeline.webp({ quality: 85 }) : pipeline.jpeg({ quality: 85, mozjpeg: true });
  const oriented = sharp(input, { failOn: 'error' }).rotate();
  const [clean, thumbnail] = await Promise.all([
    encode(oriented.clone()).toBuffer({ resolveWithObject: true }),
    oriented.clone().resize({ width: PHOTO_POLICY.thumbnailWidth, withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer(),
  ]);
  return { clean: clean.data, width: clean.info.width, height: clean.info.height, thumbnail };
}

/**
 * The evidence a photo carries before it is cleaned: EXIF `DateTimeOriginal` (+ `OffsetTimeOriginal`)
 * and GPS, read from sharp's raw EXIF block with exif-reader; and the dHash of the picture as shown
 * (EXIF orientation applied), from a 9×8 greyscale thumbnail. An unreadable EXIF block is no evidence,
 * not an error.
 */
export async function readEvidence(input: Buffer): Promise<{ exif: ExifFacts; phash: string | undefined }> {
  const [meta, grey] = await Promise.all([
    sharp(input).metadata(),
    sharp(input, { failOn: 'error' }).rotate().greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer(),
  ]);
  return { exif: meta.exif ? exifFacts(meta.exif) : {}, phash: dHash(grey) };
}

/** The EXIF facts CityGrid keeps, from a raw EXIF block (as sharp's `metadata().exif` returns it). */
export function exifFacts(block: Buffer): ExifFacts {
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(block);
  } catch {
    return {};
  }
  const original = tags.Photo?.DateTimeOriginal;
  const offset = tags.Photo?.OffsetTimeOriginal;
  const facts: ExifFacts = {};
  // exif-reader reads the wall clock into a Date as if it were UTC: its ISO text is the wall clock again.
  if (original instanceof Date && !Number.isNaN(original.getTime())) facts.dateTimeOriginal = original.toISOString().slice(0, 19);
  if (typeof offset === 'string') facts.offsetTimeOriginal = offset;
  const gps = tags.GPSInfo;
  const degrees = (value: unknown, ref: unknown, negative: string) => {
    if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined;
    const [d, m, s] = value as [number, number, number];
    return (d + m / 60 + s / 3600) * (ref === negative ? -1 : 1);
  };
  const lat = degrees(gps?.GPSLatitude, gps?.GPSLatitudeRef, 'S');
  const lng = degrees(gps?.GPSLongitude, gps?.GPSLongitudeRef, 'W');
  if (lat !== undefined && lng !== undefined && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 && !(lat === 0 && lng === 0)) facts.gps = { lat: roundCoordinate(lat), lng: roundCoordinate(lng) };
  return facts;
}
