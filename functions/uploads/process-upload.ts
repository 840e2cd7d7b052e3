import type { S3Event } from 'aws-lambda';
import { processUpload } from '#shared/domain/photos/use-cases';
import { logger } from '#shared/observability/logger';
import { getProcessingDeps } from '#shared/wiring/photo-processing';

/**
 * S3 object-created events under `uploads/` (locally: fired by the platform after s3rver stores an
 * object). Each upload is validated and cleaned; repeats are ignored. Keys arrive URL-encoded.
 */
export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    if (!record.eventName.startsWith('ObjectCreated:')) continue;
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    if (!key.startsWith('uploads/')) continue;
    const outcome = await processUpload(getProcessingDeps(), key);
    logger.info('Upload processed', { outcome, size: record.s3.object.size });
  }
}
