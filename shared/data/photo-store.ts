import type { Photo } from '#shared/domain/photos/model';
import { isConditionFailure } from './conditions.ts';
import type { DbOf } from './db.ts';
import { photoEntity } from './entities/photo.ts';

export const PHOTO_ENTITIES = { photo: photoEntity };

const DAY = 24 * 3600;

/** Photo records: pending on upload request, ready or rejected after processing, attached by a case write. */
export function createPhotoStore(db: DbOf<typeof PHOTO_ENTITIES>) {
  const entities = db.entities; // built at first use (see getDb)
  const strip = <T extends { expiresAt?: number | undefined }>({ expiresAt: _e, ...rest }: T) => rest;
  return {
    async createPending(value: Photo) {
      await entities.photo.create({ ...value, expiresAt: Math.floor(Date.parse(value.createdAt) / 1000) + DAY }).go({ response: 'none' });
    },
    async get(photoKey: string): Promise<Photo | undefined> {
      const { data } = await entities.photo.get({ photoKey }).go({ consistent: true });
      return data ? strip(data) : undefined;
    },
    async getMany(photoKeys: string[]): Promise<Photo[]> {
      if (photoKeys.length === 0) return [];
      const { data } = await entities.photo.get(photoKeys.map((photoKey) => ({ photoKey }))).go({ consistent: true });
      return data.map(strip);
    },
    /** Records the outcome of processing, only for a photo still pending (S3 may deliver an event twice). */
    async settle(photoKey: string, outcome: { status: 'ready'; width: number; height: number; size: number } | { status: 'rejected'; reason: string }) {
      try {
        await entities.photo.patch({ photoKey }).set(outcome).where((a, { eq }) => eq(a.status, 'pending')).go({ response: 'none' });
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

export type PhotoStore = ReturnType<typeof createPhotoStore>;
