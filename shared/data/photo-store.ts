import type { PhotoEvidence } from '#shared/domain/photos/evidence';
import type { Photo } from '#shared/domain/photos/model';
import { notCancelled, throwIfAccountCancelled } from './accounts.ts';
import { describeCancellation, failedWrites, isConditionFailure, throwIfOnlyConflicts } from './conditions.ts';
import { photoModel } from './entities/photo.ts';
import { get, getMany, send, transact, write, type Table } from './operations.ts';

const DAY = 24 * 3600;

/** Photo records: pending on upload request, ready or rejected after processing, attached by a case write. */
export function createPhotoStore(table: Table) {
  const strip = <T extends { expiresAt?: number | undefined }>({ expiresAt: _e, ...rest }: T) => rest;
  return {
    /** A new pending photo, recorded only while its owner's account is not cancelled (401 otherwise). */
    async createPending(value: Photo) {
      const result = await transact(table, [
        notCancelled(table, value.ownerId),
        ['photo', write.put(table, photoModel, { ...value, expiresAt: Math.floor(Date.parse(value.createdAt) / 1000) + DAY }, { create: true })],
      ]);
      if (!result.canceled) return;
      throwIfAccountCancelled(failedWrites(result));
      throwIfOnlyConflicts(result);
      throw new Error(`Photo record cancelled: ${describeCancellation(result)}`);
    },
    async get(photoKey: string): Promise<Photo | undefined> {
      const item = await get(table, photoModel, { photoKey }, { consistent: true });
      return item ? strip(item) : undefined;
    },
    async getMany(photoKeys: string[]): Promise<Photo[]> {
      if (photoKeys.length === 0) return [];
      return (await getMany(table, photoModel, photoKeys.map((photoKey) => ({ photoKey })), { consistent: true })).map(strip);
    },
    /** Records the outcome of processing, only for a photo still pending (S3 may deliver an event twice). */
    async settle(photoKey: string, outcome: ({ status: 'ready'; width: number; height: number; size: number } & PhotoEvidence) | { status: 'rejected'; reason: string }) {
      try {
        await send(table, write.update(table, photoModel, { photoKey }, { set: { ...outcome }, mustExist: true, if: (x) => x.eq('status', 'pending') }));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

export type PhotoStore = ReturnType<typeof createPhotoStore>;
