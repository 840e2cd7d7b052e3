import { createApiClient } from '../../web-core/client.ts';
import { ApiError, OfflineError } from '../../web-core/errors.ts';
import type { WebConfig } from '../../web-core/config.ts';
import type { SessionHolder, User } from '../../web-core/session.ts';
import { acceptedAction } from './cache.ts';
import type { QueueDeps, QueuedPhoto } from './queue.ts';

/** The field app's runtime configuration (config.json in the cloud; same origin locally). */
export const config: WebConfig = { apiBaseUrl: import.meta.env.VITE_API_BASE ?? '', tileUrl: '', tileAttribution: '' };

/**
 * Whether `POST /v1/uploads` takes `capturedAt`/`capturedLocation` (an API from before the photo
 * evidence refuses unknown fields): assumed yes until a grant is refused for them, then sent without.
 */
let evidenceFields = true;

export type FieldClient = ReturnType<typeof fieldClient>;

/**
 * The API client of the field app — the pages' and the service worker's — on the shared core
 * (web-core/client.ts), with the photo upload and the queue's dependencies.
 */
export function fieldClient(holder: SessionHolder<User>) {
  const client = createApiClient({ holder, lockName: 'citygrid-field-refresh', apiBase: () => config.apiBaseUrl });

  async function grant(photo: QueuedPhoto, kind: 'before' | 'after') {
    const body: Record<string, unknown> = { kind, contentType: photo.blob.type, size: photo.blob.size };
    if (evidenceFields && photo.capturedAt) body.capturedAt = photo.capturedAt;
    if (evidenceFields && photo.capturedLocation) body.capturedLocation = photo.capturedLocation;
    type Grant = { photoKey: string; upload: { url: string; fields: Record<string, string> } };
    try {
      return await client.api<Grant>('/v1/uploads', { method: 'POST', body });
    } catch (error) {
      const aboutEvidence = error instanceof ApiError && error.status === 400 && ('capturedAt' in body || 'capturedLocation' in body);
      if (!aboutEvidence) throw error;
      evidenceFields = false;
      return client.api<Grant>('/v1/uploads', { method: 'POST', body: { kind, contentType: photo.blob.type, size: photo.blob.size } });
    }
  }

  /** A fresh presigned POST for the photo, then the file straight to the bucket; returns the photo key. */
  async function uploadPhoto(photo: QueuedPhoto, kind: 'before' | 'after'): Promise<string> {
    const { photoKey, upload } = await grant(photo, kind);
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', photo.blob, photo.blob.type === 'image/png' ? 'photo.png' : 'photo.jpg');
    let response: Response;
    try {
      response = await fetch(upload.url, { method: 'POST', body: form });
    } catch {
      throw new OfflineError();
    }
    if (response.status >= 300) throw new ApiError(response.status >= 500 ? response.status : 400, 'UPLOAD_FAILED', '照片上传失败');
    return photoKey;
  }

  const queueDeps: QueueDeps = {
    send: (path, options) => client.send(path, options),
    uploadPhoto,
    accepted: acceptedAction,
  };
  return { ...client, uploadPhoto, queueDeps };
}
