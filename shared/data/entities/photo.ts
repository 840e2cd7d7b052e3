import type { Photo } from '#shared/domain/photos/model';
import { defineModel } from '../model.ts';

/** An uploaded photo's record: pending until processed, attached to one case at most (TTL until attached). */
export const photoModel = defineModel<Photo & { expiresAt?: number | undefined }>()({
  entity: 'photo',
  indexes: { byKey: { pk: ['photoKey'], sk: [] } },
});
