import type { SessionStore } from '#shared/domain/identity/ports';
import { isConditionFailure } from './conditions.ts';
import type { DbOf } from './db.ts';
import { sessionEntity } from './entities/identity.ts';

export const SESSION_ENTITIES = { session: sessionEntity };

/** Refresh-token families on the single table: one item per family, rotated by a conditional update. */
export function createSessionStore(db: DbOf<typeof SESSION_ENTITIES>): SessionStore {
  const entities = db.entities; // built at first use (see getDb)
  return {
    async startSession(input) {
      await entities.session.create(input).go({ response: 'none' });
    },

    async getSession(familyId) {
      const { data } = await entities.session.get({ familyId }).go({ consistent: true });
      return data ? { familyId: data.familyId, userId: data.userId, tokenHash: data.tokenHash, epoch: data.epoch, revoked: data.revoked, expiresAt: data.expiresAt } : undefined;
    },

    async rotateSession({ familyId, fromHash, toHash, at, expiresAt }) {
      try {
        await entities.session
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
        await entities.session.patch({ familyId }).set({ revoked: true }).go({ response: 'none' });
      } catch (error) {
        if (!isConditionFailure(error)) throw error; // already gone (TTL): nothing to revoke
      }
    },
  };
}
