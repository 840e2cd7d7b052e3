import { defineModel } from '../model.ts';

/** An Open311 client's API key: its id and the hash of its secret; listed for the admins by creation time (gsi4). */
export const apiKeyModel = defineModel<{ keyId: string; name: string; secretHash: string; createdAt: string; createdBy: string }>()({
  entity: 'apiKey',
  indexes: { byId: { pk: ['keyId'], sk: [] }, listing: { index: 'gsi4', pk: [], sk: ['createdAt', 'keyId'] } },
});
