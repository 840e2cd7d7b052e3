import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cleanImage, readEvidence } from '#shared/adapters/images';
import { photoChecks, type CheckFacts } from '#shared/domain/photos/checks';
import { dHash, evidenceOf, exifInstant, hammingDistance, hashBlocks, HASH_BLOCKS, REUSE_DISTANCE } from '#shared/domain/photos/evidence';
import { hasGpsTag } from '../support/photos.ts';
import { recompressed, scene } from '../support/scenes.ts';

const YANFENG = { lat: 26.879, lng: 112.613 };

describe('the time and place a photo was taken', () => {
  it('reads EXIF DateTimeOriginal with its offset, and as Asia/Shanghai without one', () => {
    expect(exifInstant('2026-05-12T11:44:00', '+08:00')).toBe('2026-05-12T03:44:00.000Z');
    expect(exifInstant('2026-05-12T11:44:00', '-05:30')).toBe('2026-05-12T17:14:00.000Z');
    expect(exifInstant('2026-05-12T11:44:00', undefined)).toBe('2026-05-12T03:44:00.000Z');
    expect(exifInstant('2026-13-12T11:44:00', undefined)).toBeUndefined();
    expect(exifInstant('0000-00-00T00:00:00', undefined)).toBeUndefined();
  });

  it('prefers EXIF over what the app said, and says which it used', () => {
    const app = { capturedAt: '2026-05-12T04:00:00.000Z', capturedLocation: { lat: 26.9, lng: 112.6 } };
    expect(evidenceOf({ dateTimeOriginal: '2026-05-12T11:44:00', gps: YANFENG }, app)).toEqual({ takenAt: '2026-05-12T03:44:00.000Z', takenAtSource: 'exif', takenLocation: YANFENG, takenLocationSource: 'exif' });
    expect(evidenceOf({}, app)).toEqual({ takenAt: app.capturedAt, takenAtSource: 'app', takenLocation: app.capturedLocation, takenLocationSource: 'app' });
    expect(evidenceOf({}, {})).toEqual({});
  });

  it('reads the EXIF time and GPS of a real JPEG before cleaning, and the cleaned copy has no GPS', async () => {
    const original = await scene(1, { takenAt: '2026:05:12 11:44:00', gps: YANFENG });
    expect(hasGpsTag((await sharp(original).metadata()).exif)).toBe(true);
    const { exif } = await readEvidence(original);
    expect(evidenceOf(exif, {})).toMatchObject({ takenAt: '2026-05-12T03:44:00.000Z', takenAtSource: 'exif', takenLocationSource: 'exif' });
    expect(exif.gps!.lat).toBeCloseTo(YANFENG.lat, 5);
    expect(exif.gps!.lng).toBeCloseTo(YANFENG.lng, 5);
    const cleaned = await cleanImage(original, 'image/jpeg');
    for (const copy of [cleaned.clean, cleaned.thumbnail]) expect((await sharp(copy).metadata()).exif).toBeUndefined();
  });
});

describe('the perceptual hash', () => {
  it('is 64 bits of left-brighter-than-right comparisons, and none for a plain picture', () => {
    const ramp = Array.from({ length: 72 }, (_, i) => 255 - (i % 9) * 20);
    expect(dHash(ramp)).toBe('ffffffffffffffff');
    expect(dHash(ramp.map((v, i) => (i % 9 === 0 ? v : 255 - v)))).toBe('8080808080808080');
    expect(dHash(Array.from({ length: 72 }, (_, i) => 100 + (i % 3)))).toBeUndefined();
    expect(() => dHash([1, 2, 3])).toThrow(RangeError);
  });

  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('00000000000000ff', '000000000000000f')).toBe(4);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
  });

  it('splits 64 bits into 7 blocks that together are the whole hash', () => {
    expect(HASH_BLOCKS.reduce((sum, b) => sum + b.bits, 0)).toBe(64);
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (bits) => {
      const hash = bits.toString(16).padStart(16, '0');
      const rebuilt = hashBlocks(hash).reduce((acc, { block, value }) => acc | (BigInt(`0x${value}`) << BigInt(HASH_BLOCKS[block]!.shift)), 0n);
      expect(rebuilt).toBe(bits);
    }));
  });

  it('guarantees that two hashes within 6 bits share at least one block exactly (pigeonhole)', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: REUSE_DISTANCE }), (bits, flips) => {
      const a = bits.toString(16).padStart(16, '0');
      const b = flips.reduce((x, bit) => x ^ (1n << BigInt(bit)), bits).toString(16).padStart(16, '0');
      expect(hammingDistance(a, b)).toBe(flips.length);
      const blocksOfB = new Set(hashBlocks(b).map((x) => `${x.block}#${x.value}`));
      expect(hashBlocks(a).some((x) => blocksOfB.has(`${x.block}#${x.value}`))).toBe(true);
    }), { numRuns: 2000 });
  });

  it('finds the same picture recompressed at another quality and resized (≤ 6 bits)', async () => {
    for (const seed of [11, 12, 13, 14, 15]) {
      const original = await scene(seed);
      const { phash } = await readEvidence(original);
      for (const [width, quality] of [[400, 45], [320, 30], [1024, 95]] as const) {
        const again = await readEvidence(await recompressed(original, width, quality));
        expect(hammingDistance(phash!, again.phash!), `scene ${seed} at ${width}px q${quality}`).toBeLessThanOrEqual(REUSE_DISTANCE);
      }
    }
  });

  it('keeps 200 distinct generated pictures apart (no pair within 6 bits)', async () => {
    const hashes: string[] = [];
    for (let seed = 1000; seed < 1200; seed++) hashes.push((await readEvidence(await scene(seed))).phash!);
    expect(hashes.every(Boolean)).toBe(true);
    let closest = 64;
    for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) closest = Math.min(closest, hammingDistance(hashes[i]!, hashes[j]!));
    expect(closest).toBeGreaterThan(REUSE_DISTANCE);
  });
});

describe('photoChecks', () => {
  const dispatchedAt = '2026-05-12T02:00:00.000Z';
  type Facts = CheckFacts & { photos: Map<string, CheckFacts['photos'] extends ReadonlyMap<string, infer V> ? V : never> };
  const facts = (over: Partial<CheckFacts> = {}): Facts => ({
    case: { id: 'case-b', location: YANFENG, beforePhotoKeys: ['b1'], afterPhotoKeys: ['a1'] },
    timeline: [
      { seq: 1, at: '2026-05-12T01:00:00.000Z', action: 'report', photoKeys: ['b1'] },
      { seq: 2, at: '2026-05-12T01:30:00.000Z', action: 'file' },
      { seq: 3, at: dispatchedAt, action: 'dispatch' },
      { seq: 4, at: '2026-05-12T05:00:00.000Z', action: 'complete', photoKeys: ['a1'] },
    ],
    photos: new Map([
      ['b1', { kind: 'before' as const, takenAt: '2026-05-12T00:50:00.000Z', takenAtSource: 'app' as const, takenLocation: YANFENG }],
      ['a1', { kind: 'after' as const, takenAt: '2026-05-12T04:00:00.000Z', takenAtSource: 'exif' as const, takenLocation: YANFENG }],
    ]),
    similar: new Map(),
    caseNumbers: new Map(),
    farMetres: 200,
    ...over,
  }) as Facts;
  const after = (checks: ReturnType<typeof photoChecks>) => checks.find((c) => c.kind === 'after')!;

  it('flags nothing on an honest pair: taken here, after the dispatch, not seen before', () => {
    expect(photoChecks(facts())).toEqual([
      { photoKey: 'b1', kind: 'before', takenAt: '2026-05-12T00:50:00.000Z', takenAtSource: 'app', distanceMetres: 0, flags: [] },
      { photoKey: 'a1', kind: 'after', takenAt: '2026-05-12T04:00:00.000Z', takenAtSource: 'exif', distanceMetres: 0, flags: [] },
    ]);
  });

  it("flags an after photo within 6 bits of another case's photo, naming that case", () => {
    const f = facts();
    f.photos.get('a1')!.similar = [{ photoKey: 'x1', distance: 2 }];
    const checks = photoChecks({ ...f, similar: new Map([['x1', { attachedTo: 'case-a', kind: 'before' }]]), caseNumbers: new Map([['case-a', '2026-000012']]) });
    expect(after(checks)).toMatchObject({ flags: ['reused'], reusedFrom: { caseId: 'case-a', caseNumber: '2026-000012', kind: 'before', hammingDistance: 2 } });
  });

  it("flags an after photo that is this case's own before photo, but not one like another after photo of the case or an unattached upload", () => {
    const f = facts();
    f.photos.get('a1')!.similar = [{ photoKey: 'a0', distance: 0 }, { photoKey: 'loose', distance: 1 }, { photoKey: 'b1', distance: 3 }];
    const similar = new Map([
      ['a0', { attachedTo: 'case-b', kind: 'after' as const }],
      ['loose', { kind: 'after' as const }],
      ['b1', { attachedTo: 'case-b', kind: 'before' as const }],
    ]);
    expect(after(photoChecks({ ...f, similar }))).toMatchObject({ flags: ['reused'], reusedFrom: { caseId: 'case-b', kind: 'before', hammingDistance: 3 } });
    similar.delete('b1');
    expect(after(photoChecks({ ...f, similar })).flags).toEqual([]);
  });

  it('never flags a before photo as reused (duplicate reports of one problem look alike)', () => {
    const f = facts();
    f.photos.get('b1')!.similar = [{ photoKey: 'x1', distance: 0 }];
    const checks = photoChecks({ ...f, similar: new Map([['x1', { attachedTo: 'case-a', kind: 'before' }]]) });
    expect(checks.find((c) => c.kind === 'before')!.flags).toEqual([]);
  });

  it('flags a photo taken more than the configured distance from the case', () => {
    const f = facts();
    f.photos.get('a1')!.takenLocation = { lat: YANFENG.lat + 0.009, lng: YANFENG.lng }; // ≈ 1 km north
    const check = after(photoChecks(f));
    expect(check.distanceMetres).toBeGreaterThan(950);
    expect(check.flags).toEqual(['far-from-case']);
    expect(after(photoChecks({ ...f, farMetres: 2000 })).flags).toEqual([]);
  });

  it('flags an after photo taken before the case reached its handler (the last dispatch or rework before its completion)', () => {
    const f = facts();
    f.photos.get('a1')!.takenAt = '2026-05-12T01:59:00.000Z';
    expect(after(photoChecks(f)).flags).toEqual(['taken-before-dispatch']);
    // A rework after the first completion: the second completion's photo must be newer than the rework.
    const reworked = facts({
      case: { id: 'case-b', location: YANFENG, beforePhotoKeys: ['b1'], afterPhotoKeys: ['a1', 'a2'] },
      timeline: [...f.timeline, { seq: 5, at: '2026-05-12T06:00:00.000Z', action: 'rework' }, { seq: 6, at: '2026-05-12T08:00:00.000Z', action: 'complete', photoKeys: ['a2'] }],
    });
    reworked.photos.set('a2', { kind: 'after', takenAt: '2026-05-12T05:30:00.000Z', takenAtSource: 'exif', takenLocation: YANFENG });
    expect(photoChecks(reworked).find((c) => c.photoKey === 'a2')!.flags).toEqual(['taken-before-dispatch']);
    expect(photoChecks(reworked).find((c) => c.photoKey === 'a1')!.flags).toEqual([]);
  });

  it('flags a photo without a time (and has no distance without a place)', () => {
    const f = facts();
    f.photos.set('a1', { kind: 'after' });
    expect(after(photoChecks(f))).toEqual({ photoKey: 'a1', kind: 'after', flags: ['no-time'] });
  });
});

