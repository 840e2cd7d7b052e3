import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoHashModel } from '#shared/data/entities/photo-hash';
import { query } from '#shared/data/operations';
import { createPhotoHashStore } from '#shared/data/photo-hash-store';
import { hashBlocks } from '#shared/domain/photos/evidence';
import { random } from '../support/scenes.ts';
import { createTestTable } from '../support/table.ts';

let table: Awaited<ReturnType<typeof createTestTable>>;
const sent: Record<string, number> = {};
beforeAll(async () => {
  table = await createTestTable();
  // Count every command the store sends (the lookups must stay at one Query per block).
  table.client.middlewareStack.add((next, context) => async (args) => {
    sent[context.commandName!] = (sent[context.commandName!] ?? 0) + 1;
    return next(args);
  }, { step: 'initialize', name: 'countCommands' });
});
afterAll(async () => table?.drop());

const next = random(42);
const randomHash = () => Array.from({ length: 16 }, () => Math.floor(next() * 16).toString(16)).join('');
const flip = (hash: string, bits: number[]) => bits.reduce((x, bit) => x ^ (1n << BigInt(bit)), BigInt(`0x${hash}`)).toString(16).padStart(16, '0');
const reset = () => Object.keys(sent).forEach((k) => delete sent[k]);

describe('the near-duplicate index of photo hashes (DynamoDB Local)', () => {
  const stored: Array<{ photoKey: string; phash: string }> = [];
  beforeAll(async () => {
    const store = createPhotoHashStore(table.db);
    for (let i = 0; i < 300; i++) stored.push({ photoKey: `uploads/after/${String(i).padStart(8, '0')}-0000-4000-8000-000000000000.jpg`, phash: randomHash() });
    for (const p of stored) await store.add(p.photoKey, p.phash, '2026-05-12T00:00:00.000Z');
  });

  it('finds a stored photo from any hash within 6 bits of it, with 7 Queries per lookup', async () => {
    const store = createPhotoHashStore(table.db);
    for (const [i, bits] of [[0, []], [1, [0]], [2, [63, 0, 9]], [3, [1, 10, 19, 28, 37, 46]], [4, [5, 6, 7, 8, 20, 33]]] as Array<[number, number[]]>) {
      reset();
      const target = stored[i]!;
      const found = await store.findSimilar(flip(target.phash, bits));
      expect(found.matches[0]).toEqual({ photoKey: target.photoKey, distance: bits.length });
      expect(found.queries).toBe(7);
      expect(sent).toEqual({ QueryCommand: 7 });
    }
  });

  it('does not find a photo 7 or more bits away, nor the photo itself', async () => {
    const store = createPhotoHashStore(table.db);
    const target = stored[10]!;
    const far = await store.findSimilar(flip(target.phash, [0, 9, 18, 27, 36, 45, 54]));
    expect(far.matches.map((m) => m.photoKey)).not.toContain(target.photoKey);
    expect((await store.findSimilar(target.phash, target.photoKey)).matches.map((m) => m.photoKey)).not.toContain(target.photoKey);
  });

  it('writes the same seven items when a photo is indexed again (the processor may run twice)', async () => {
    const store = createPhotoHashStore(table.db);
    const target = stored[20]!;
    await store.add(target.photoKey, target.phash, '2026-05-12T00:00:00.000Z');
    const found = await store.findSimilar(target.phash);
    expect(found.matches.filter((m) => m.photoKey === target.photoKey)).toHaveLength(1);
    for (const { block, value } of hashBlocks(target.phash)) {
      const { items } = await query(table.db, photoHashModel, 'byBlock', { block, value }, { all: true });
      expect(items.filter((item) => item.photoKey === target.photoKey)).toHaveLength(1);
    }
    // 300 random hashes in 512–1024 values per block: few candidates per lookup, all read.
    expect(found.candidates).toBeGreaterThanOrEqual(7);
    expect(found.candidates).toBeLessThan(40);
  });
});
