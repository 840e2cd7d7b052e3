import * as z from 'zod';
import { PHOTO_KINDS, PHOTO_POLICY, PHOTO_TYPES } from '#shared/domain/photos/model';

export const UploadBody = z
  .object({
    kind: z.enum(PHOTO_KINDS),
    contentType: z.enum(PHOTO_TYPES),
    size: z.number().int().min(1).max(PHOTO_POLICY.maxBytes, `At most ${PHOTO_POLICY.maxBytes} bytes (10 MiB)`),
  })
  .strict()
  .meta({ id: 'UploadRequest' });

export const UploadResult = z
  .object({
    photoKey: z.string(),
    upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }).meta({ description: 'POST multipart/form-data: every field, then `file` last' }),
    expiresAt: z.string(),
  })
  .meta({ id: 'Upload' });
