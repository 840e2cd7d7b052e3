import { hammingDistance, hashBlocks, MAX_SIMILAR, REUSE_DISTANCE } from '#shared/domain/photos/evidence';
import { photoHashModel } from './entities/photo-hash.ts';
import { putMany, query, type Table } from './operations.ts';

/** The near-duplicate index of photos' perceptual hashes (seven base-table items per photo). */
export function createPhotoHashStore(table: Table) {
  return {
    /**
     * Earlier photos within {@link REUSE_DISTANCE} bits of `phash`, nearest first (at most
     * {@link MAX_SIMILAR}): one Query per block (7, in parallel, every page), candidates checked by
     * their full distance. `candidates` is how many index items were read (they grow with the store).
     */
    async findSimilar(phash: string, self?: string) {
      const blocks = hashBlocks(phash);
      const pages = await Promise.all(blocks.map(({ block, value }) => query(table, photoHashModel, 'byBlock', { block, value }, { all: true })));
      const seen = new Map<string, number>();
      let candidates = 0;
      for (const page of pages) {
        for (const item of page.items) {
          candidates++;
          if (item.photoKey === self || seen.has(item.photoKey)) continue;
          const distance = hammingDistance(phash, item.phash);
          if (distance <= REUSE_DISTANCE) seen.set(item.photoKey, distance);
        }
      }
      const matches = [...seen].map(([photoKey, distance]) => ({ photoKey, distance })).sort((a, b) => a.distance - b.distance || a.photoKey.localeCompare(b.photoKey));
      return { matches: matches.slice(0, MAX_SIMILAR), queries: blocks.length, candidates };
    },
    /** Indexes a photo's hash: plain puts of the same seven keys, so a repeat writes the same items. */
    async add(photoKey: string, phash: string, createdAt: string) {
      await putMany(table, photoHashModel, hashBlocks(phash).map(({ block, value }) => ({ block, value, photoKey, phash, createdAt })));
    },
  };
}

export type PhotoHashStore = ReturnType<typeof createPhotoHashStore>;
