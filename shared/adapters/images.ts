import sharp, { type Sharp } from 'sharp';
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
