import sharp from 'sharp';
import { createDocumentClient } from '#shared/data/client';
import type { Table } from '#shared/data/db';
import { createPhotoStore } from '#shared/data/photo-store';
import type { Photo, PhotoKind } from '#shared/domain/photos/model';
import { photoModel } from '#shared/data/entities/photo';
import { send, write } from '#shared/data/operations';

/** A real JPEG whose EXIF carries a GPS position (the reporter's whereabouts). */
export const jpegWithGps = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'CityGridTest' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '26/1 52/1 44/1', GPSLongitudeRef: 'E', GPSLongitude: '112/1 36/1 47/1' } })
    .toBuffer();

export const png = () => sharp({ create: { width: 32, height: 32, channels: 3, background: '#3c3' } }).png().toBuffer();

/** Does an EXIF block point to a GPS IFD (tag 0x8825, either byte order)? */
export const hasGpsTag = (exif: Buffer | undefined) => Boolean(exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]))));

/**
 * Uploads as a client does: ask for a presigned POST, POST the multipart form to the bucket, then wait
 * until the upload processor has settled the photo (it runs on s3rver's object-created event).
 */
export async function uploadPhoto(
  platform: { url: string; dynamoEndpoint: string; tableName: string },
  token: string,
  kind: PhotoKind,
  bytes: Buffer,
  contentType = 'image/jpeg',
  declaredSize = bytes.length,
  extra: { capturedAt?: string; capturedLocation?: { lat: number; lng: number; coordSystem?: 'WGS84' | 'GCJ02' } } = {},
): Promise<{ photoKey: string; photo: Photo; policy: Record<string, unknown> }> {
  const requested = await fetch(`${platform.url}/v1/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind, contentType, size: declaredSize, ...extra }),
  });
  const json = (await requested.json()) as { photoKey: string; upload: { url: string; fields: Record<string, string> } };
  if (requested.status !== 201) throw new Error(`uploads answered ${requested.status}: ${JSON.stringify(json)}`);
  const form = new FormData();
  for (const [name, value] of Object.entries(json.upload.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'photo');
  const posted = await fetch(json.upload.url, { method: 'POST', body: form });
  if (posted.status >= 300) throw new Error(`S3 POST answered ${posted.status}: ${await posted.text()}`);
  const store = createPhotoStore({ client: createDocumentClient({ region: 'us-east-1', endpoint: platform.dynamoEndpoint }), name: platform.tableName });
  for (let i = 0; i < 100; i++) {
    const photo = await store.get(json.photoKey);
    if (photo && photo.status !== 'pending') {
      const policy = JSON.parse(Buffer.from(json.upload.fields.Policy!, 'base64').toString('utf8')) as Record<string, unknown>;
      return { photoKey: json.photoKey, photo, policy };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`upload ${json.photoKey} was never processed`);
}

/** A ready photo record written straight to the table (for tests about cases, not uploads). */
export async function readyPhoto(db: Table, ownerId: string, kind: PhotoKind): Promise<string> {
  const photoKey = `uploads/${kind}/${crypto.randomUUID()}.jpg`;
  await send(db, write.put(db, photoModel, { photoKey, ownerId, kind, contentType: 'image/jpeg', declaredSize: 1000, status: 'ready', width: 10, height: 10, size: 1000, createdAt: new Date().toISOString() }, { create: true }));
  return photoKey;
}
