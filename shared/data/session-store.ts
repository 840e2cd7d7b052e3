import type { SessionStore } from '#shared/domain/identity/ports';
import { isConditionFailure } from './conditions.ts';
import type { Db } from './db.ts';

/** Refresh-token families on the single table: one item per family, rotated by a conditional update. */
export function createSessionStore(db: Db): SessionStore {
  const { session } = db.entities;
  return {
    async startSession(input) {
      await session.create(input).go({ response: 'none' });
    },

    async getSession(familyId) {
      const { data } = await session.get({ familyId }).go({ consistent: true });
      return data ? { familyId: data.familyId, userId: data.userId, tokenHash: data.tokenHash, epoch: data.epoch, revoked: data.revoked, expiresAt: data.expiresAt } : undefined;
    },

    async rotateSession({ familyId, fromHash, toHash, at, expiresAt }) {
      try {
        await session
          .patch({ familyId })
          .set({ tokenHash: toHash, rotatedAt: at, expiresAt })
          .where((a, { eq }) => `${eq(a.tokenHash, fromHash)} AND ${eq(a.revoked, false)}`)
          .go({ response: 'none' });
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async revokeSession(familyId) {
      try {
        await session.patch({ familyId }).set({ revoked: true }).go({ response: 'none' });
      } catch (error) {
        if (!isConditionFailure(error)) throw error; // already gone (TTL): nothing to revoke
      }
    },
  };
}
