import { randomUUID } from 'node:crypto';
import ngeohash from 'ngeohash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '#shared/data/case-store';
import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import type { CaseDeps } from '#shared/domain/cases/deps';
import { findNearby, NEARNESS_LIMIT } from '#shared/domain/cases/duplicates';
import { coveringRanges, distanceMetres, geoKeys, inRange, type Point } from '#shared/domain/geo/nearness';
import { loadDemoCity } from '#infra/local/seed';
import { createTestTable } from '../support/table.ts';
import { caseModel } from '#shared/data/entities/cases';
import { putMany } from '#shared/data/operations';

/**
 * The covering ranges against DynamoDB Local: a range's Query (`between` on gsi5's sort key) returns
 * exactly the stored cases `inRange` says it holds, and `nearby` returns exactly the open cases within
 * the radius, nearest first — around the corner where four index partitions meet.
 */
let table: Awaited<ReturnType<typeof createTestTable>>;
let deps: CaseDeps;
// The north-east corner of the partition (geohash area) of 当家村社区: a circle there touches four partitions.
const [, , NORTH, EAST] = ngeohash.decode_bbox(geoKeys({ lat: 26.879, lng: 112.613 }).geoArea);
const CORNER = { lat: NORTH, lng: EAST };
const seeded: Array<{ id: string; location: Point; geohash: string }> = [];

beforeAll(async () => {
  table = await createTestTable();
  const reference = createReferenceStore(table.db);
  await reference.importAll(loadDemoCity());
  let seed = 42;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const at = new Date().toISOString();
  // 600 open cases in a 1.4 km box around the corner (≈ 300 per km²), some on the partition lines.
  const items = Array.from({ length: 600 }, (_, i) => {
    const location =
      i % 10 === 0
        ? { lat: i % 20 === 0 ? NORTH : NORTH + (random() - 0.5) * 0.0126, lng: i % 20 === 0 ? EAST + (random() - 0.5) * 0.014 : EAST }
        : { lat: NORTH + (random() - 0.5) * 0.0126, lng: EAST + (random() - 0.5) * 0.014 };
    const id = randomUUID();
    seeded.push({ id, location, geohash: geoKeys(location).geohash });
    return {
      caseId: id, caseNumber: `2026-${String(900000 + i)}`, status: 'filed' as const, channel: 'app' as const, description: `nearness ${i}`, location,
      categoryCode: 'E0101', categoryName: '暴露垃圾', gridId: 'yanfeng-dangjiacun', gridName: '当家村社区', reporterKey: 'nearness', assignedDepartmentId: '-',
      dispatchPath: [], escalationLevel: 0, reworkCount: 0, beforePhotoKeys: [], afterPhotoKeys: [], createdAt: at, updatedAt: at, version: 2, eventCount: 2,
      reportedMonth: at.slice(0, 7), ...geoKeys(location),
    };
  });
  await putMany(table.db, caseModel, items);
  deps = {
    store: createCaseStore(table.db),
    reference: createReferenceCache(reference),
    users: { getUser: async () => undefined },
    photos: { store: { getMany: async () => [] } },
    now: () => new Date(),
    newId: () => randomUUID(),
  };
});
afterAll(async () => {
  await table?.drop();
});

const probes: Array<{ name: string; center: Point }> = [
  { name: 'the partition corner', center: CORNER },
  { name: '150 m south-west of it', center: { lat: NORTH - 0.00095, lng: EAST - 0.00107 } },
  { name: '250 m east of it', center: { lat: NORTH, lng: EAST + 0.0025 } },
];

describe('nearness over DynamoDB Local', () => {
  it.each(probes)('a range Query returns exactly the cases inRange says it holds ($name)', async ({ center }) => {
    for (const radius of [30, 200, 500]) {
      const ranges = coveringRanges(center, radius);
      const found = await deps.store.listOpenInRanges(ranges);
      const expected = seeded.filter((s) => ranges.some((r) => inRange(s.geohash, r))).map((s) => s.id);
      expect(found.map((c) => c.id).sort()).toEqual(expected.sort());
    }
  });

  it.each(probes)('nearby returns the open cases within the radius, nearest first, up to the cap ($name)', async ({ center }) => {
    for (const radius of [30, 100, 200, 500]) {
      const within = seeded.map((s) => ({ id: s.id, distance: distanceMetres(center, s.location) })).filter((s) => s.distance <= radius);
      within.sort((a, b) => a.distance - b.distance);
      const { items } = await findNearby(deps, center, radius);
      expect(items.map((i) => i.distanceMetres)).toEqual(within.slice(0, NEARNESS_LIMIT).map((s) => s.distance));
      if (within.length <= NEARNESS_LIMIT) expect(items.map((i) => i.id).sort()).toEqual(within.map((s) => s.id).sort());
      else expect(items.every((i) => within.some((s) => s.id === i.id))).toBe(true);
    }
  });
});
