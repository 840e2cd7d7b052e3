/** Photos: presigned uploads. */
import { errors, type RouteSpec } from './route-spec.ts';
import { UploadBody, UploadResult } from '#shared/schemas/photos';

export const requestUpload = {
  method: 'POST',
  path: '/v1/uploads',
  handler: 'functions/uploads/request-upload.ts',
  access: ['citizen', 'supervisor', 'handler', 'dispatcher'],
  summary: 'A presigned S3 POST for one before/after photo (type and size bound; key under your own prefix)',
  tag: 'Photos',
  request: { body: UploadBody },
  responses: { 201: { description: 'POST the file to upload.url with upload.fields', schema: UploadResult }, ...errors(400, 401, 403, 429) },
  needs: { table: 'readWrite', bucket: 'upload' },
} as const satisfies RouteSpec;
