import { defineModel } from '../model.ts';

/**
 * One block of a photo's perceptual hash (multi-index hashing, shared/domain/photos/evidence.ts): seven
 * items per photo, partition = the block's number and value, sort key = the photo. A Query of one
 * partition lists every photo sharing that block exactly; the item carries the whole hash, so a
 * candidate is checked by its full distance without reading its photo. No GSI: base-table items only.
 */
export const photoHashModel = defineModel<{ block: number; value: string; photoKey: string; phash: string; createdAt: string }>()({
  entity: 'photoHash',
  indexes: { byBlock: { pk: ['block', 'value'], sk: ['photoKey'] } },
});
