import * as z from '#shared/validation/zod';
import { PHOTO_KINDS, PHOTO_POLICY, PHOTO_TYPES } from '#shared/domain/photos/model';
import { Location } from './location.ts';

export const UploadBody = z.lazy(() => z.withMeta(z.strict(z.object({
    kind: z.enum(PHOTO_KINDS),
    contentType: z.enum(PHOTO_TYPES),
    size: z.number().check(z.int(), z.gte(1), z.lte(PHOTO_POLICY.maxBytes, `At most ${PHOTO_POLICY.maxBytes} bytes (10 MiB)`)),
    capturedAt: z.withMeta(z.optional(z.pipe(z.iso.datetime({ offset: true }), z.transform((at: string) => new Date(at).toISOString()))), {
      description: 'When the app took the photo (ISO 8601; stored in UTC). Evidence for staff; the photo\'s own EXIF time wins over it',
    }),
    capturedLocation: z.withMeta(z.optional(Location), { description: 'Where the app was when the photo was taken. Evidence for staff; the photo\'s own EXIF GPS wins over it' }),
  })), { id: 'UploadRequest' }));

export const UploadResult = z.lazy(() => z.withMeta(z.object({
    photoKey: z.string(),
    upload: z.withMeta(z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }), { description: 'POST multipart/form-data: every field, then `file` last' }),
    expiresAt: z.string(),
  }), { id: 'Upload' }));
