import type { QueuedPhoto } from './queue.ts';

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp'];

export class PhotoError extends Error {}

/**
 * The EXIF time and place of a photo, read before shrinking (the canvas re-encode drops EXIF):
 * `DateTimeOriginal` with its `OffsetTimeOriginal` (none: Asia/Shanghai, +08:00) and the GPS position.
 * exifr is loaded on first use, so it is not part of the first screen.
 */
export async function readCapture(file: Blob): Promise<Pick<QueuedPhoto, 'capturedAt' | 'capturedLocation'>> {
  try {
    const { default: exifr } = await import('exifr');
    const tags = (await exifr.parse(file, { pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'GPSLatitude', 'GPSLongitude', 'GPSLatitudeRef', 'GPSLongitudeRef'], reviveValues: false, gps: true })) as
      | { DateTimeOriginal?: string; OffsetTimeOriginal?: string; latitude?: number; longitude?: number }
      | undefined;
    const result: Pick<QueuedPhoto, 'capturedAt' | 'capturedLocation'> = {};
    const time = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(tags?.DateTimeOriginal ?? '');
    if (time) {
      const offset = /^[+-]\d{2}:\d{2}$/.test(tags?.OffsetTimeOriginal ?? '') ? tags!.OffsetTimeOriginal! : '+08:00';
      const at = new Date(`${time[1]}-${time[2]}-${time[3]}T${time[4]}:${time[5]}:${time[6]}${offset}`);
      if (!Number.isNaN(at.getTime())) result.capturedAt = at.toISOString();
    }
    if (Number.isFinite(tags?.latitude) && Number.isFinite(tags?.longitude)) {
      result.capturedLocation = { lat: Number(tags!.latitude!.toFixed(6)), lng: Number(tags!.longitude!.toFixed(6)) };
    }
    return result;
  } catch {
    return {};
  }
}

/**
 * A camera photo made ready for the queue, as /m/ does: at most 1920 px on the long side, JPEG at
 * quality 0.75 (a 4 MB photo becomes a few hundred kB) — with its EXIF time and GPS read first and kept
 * beside it, sent with the upload grant (the server keeps them as evidence). Without EXIF, the time is
 * now and the place the phone's position, if known.
 */
export async function preparePhoto(file: File, here?: { lat: number; lng: number }): Promise<QueuedPhoto> {
  const capture = await readCapture(file);
  const { default: Compressor } = await import('compressorjs');
  const blob = await new Promise<Blob>((resolve, reject) => {
    new Compressor(file, { maxWidth: 1920, maxHeight: 1920, quality: 0.75, mimeType: 'image/jpeg', strict: false, success: resolve, error: () => reject(new PhotoError('无法读取这张照片，请换一张（支持 JPG、PNG、WebP）')) });
  });
  if (!ACCEPTED.includes(blob.type)) throw new PhotoError('无法读取这张照片，请换一张（支持 JPG、PNG、WebP）');
  if (blob.size > MAX_UPLOAD_BYTES) throw new PhotoError('照片太大（压缩后仍超过 10 MB），请换一张照片');
  return {
    blob,
    capturedAt: capture.capturedAt ?? new Date().toISOString(),
    ...(capture.capturedLocation ? { capturedLocation: capture.capturedLocation } : here ? { capturedLocation: here } : {}),
  };
}
