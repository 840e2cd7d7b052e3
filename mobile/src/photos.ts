import { api, ApiError, OfflineError } from './api.ts';
import { PhotoTooLargeError, PhotoUnreadableError } from './errors.ts';

/** The API's limits for one photo (POST /v1/uploads). */
export const MAX_PHOTOS = 9;
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp'];

/**
 * Shrinks a camera or album photo on the phone before it is sent: at most 1920 px on the long side,
 * JPEG at quality 0.75, orientation applied and EXIF (GPS included) dropped by the canvas re-encode
 * (the server strips EXIF again anyway). A 4 MB phone photo becomes a few hundred kB — less data on 4G,
 * a faster report. compressorjs is loaded on first use, so it is not part of the first screen.
 */
export async function shrinkPhoto(file: File): Promise<Blob> {
  const { default: Compressor } = await import('compressorjs');
  const shrunk = await new Promise<Blob>((resolve, reject) => {
    new Compressor(file, {
      maxWidth: 1920,
      maxHeight: 1920,
      quality: 0.75,
      mimeType: 'image/jpeg',
      // Keep the re-encoded copy even when it is larger than a small original: it carries no metadata.
      strict: false,
      success: resolve,
      error: () => reject(new PhotoUnreadableError()),
    });
  });
  if (!ACCEPTED.includes(shrunk.type)) throw new PhotoUnreadableError();
  if (shrunk.size > MAX_UPLOAD_BYTES) throw new PhotoTooLargeError();
  return shrunk;
}

/**
 * Uploads one (shrunk) before photo: asks the API for a presigned POST, then posts the form straight to
 * the bucket (fields first, `file` last). Returns the photo key to attach to the report.
 */
export async function uploadPhoto(photo: Blob): Promise<string> {
  const grant = await api<{ photoKey: string; upload: { url: string; fields: Record<string, string> } }>('/v1/uploads', {
    method: 'POST',
    body: { kind: 'before', contentType: photo.type, size: photo.size },
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.upload.fields)) form.append(name, value);
  form.append('file', photo, photo.type === 'image/png' ? 'photo.png' : 'photo.jpg');
  let response: Response;
  try {
    response = await fetch(grant.upload.url, { method: 'POST', body: form });
  } catch {
    throw new OfflineError();
  }
  if (response.status === 400 && (await response.text()).includes('EntityTooLarge')) throw new PhotoTooLargeError();
  if (response.status >= 300) throw new ApiError(response.status, 'UPLOAD_FAILED', 'The photo upload failed');
  return grant.photoKey;
}
