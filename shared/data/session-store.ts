import type { SessionStore } from '#shared/domain/identity/ports';
import { isConditionFailure } from './conditions.ts';
import { sessionModel } from './entities/identity.ts';
import { get, send, write, type Table } from './operations.ts';

/** Refresh-token families on the single table: one item per family, rotated by a conditional update. */
export function createSessionStore(table: Table): SessionStore {
  return {
    async startSession(input) {
      await send(table, write.put(table, sessionModel, input, { create: true }));
    },

    async getSession(familyId) {
      const data = await get(table, sessionModel, { familyId }, { consistent: true });
      return data ? { familyId: data.familyId, userId: data.userId, tokenHash: data.tokenHash, epoch: data.epoch, revoked: data.revoked, expiresAt: data.expiresAt } : undefined;
    },

    async rotateSession({ familyId, fromHash, toHash, at, expiresAt }) {
      try {
        await send(
          table,
          write.update(table, sessionModel, { familyId }, { set: { tokenHash: toHash, rotatedAt: at, expiresAt }, mustExist: true, if: (x) => `${x.eq('tokenHash', fromHash)} AND ${x.eq('revoked', false)}` }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async revokeSession(familyId) {
      try {
        await send(table, write.update(table, sessionModel, { familyId }, { set: { revoked: true }, mustExist: true }));
      } catch (error) {
        if (!isConditionFailure(error)) throw error; // already gone (TTL): nothing to revoke
      }
    },
  };
}
