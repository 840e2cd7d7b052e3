import * as z from '#shared/validation/zod';
import { PHOTO_KINDS, PHOTO_POLICY, PHOTO_TYPES } from '#shared/domain/photos/model';

export const UploadBody = z.lazy(() => z.withMeta(z.strict(z.object({
    kind: z.enum(PHOTO_KINDS),
    contentType: z.enum(PHOTO_TYPES),
    size: z.number().check(z.int(), z.gte(1), z.lte(PHOTO_POLICY.maxBytes, `At most ${PHOTO_POLICY.maxBytes} bytes (10 MiB)`)),
  })), { id: 'UploadRequest' }));

export const UploadResult = z.lazy(() => z.withMeta(z.object({
    photoKey: z.string(),
    upload: z.withMeta(z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }), { description: 'POST multipart/form-data: every field, then `file` last' }),
    expiresAt: z.string(),
  }), { id: 'Upload' }));
