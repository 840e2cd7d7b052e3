import { randomUUID } from 'node:crypto';
import { ensureTable } from '#infra/local/dynamodb';
import { createCaseStore } from '#shared/data/case-store';
import { createDocumentClient } from '#shared/data/client';
import { caseModel } from '#shared/data/entities/cases';
import { putMany } from '#shared/data/operations';

import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import type { CaseDeps } from '#shared/domain/cases/deps';
import { findNearby, findSimilar } from '#shared/domain/cases/duplicates';
import { coveringRanges, geoKeys } from '#shared/domain/geo/nearness';
import { loadDemoCity } from '#infra/local/seed';
import { loadInProcess, type Measurement } from './lib.ts';

/** The probe point (当家村社区) and the city it sits in: a 16 km × 16 km box, cases spread uniformly. */
const CENTER = { lat: 26.879, lng: 112.613 };
const HALF_LAT = 0.072;
const HALF_LNG = 0.08;
const AGENT = { userId: 'bench-agent', roles: ['agent' as const], displayName: 'bench' };

/**
 * Seeds a fresh table with `count` OPEN filed cases — every one on the nearness index, the worst case
 * (a real city's index holds only its open cases) — spread uniformly over the city box, plus the probe
 * case at the centre. Returns the use cases' dependencies over that table.
 */
async function seedCity(endpoint: string, count: number) {
  const tableName = `bench-nearby-${count}-${randomUUID().slice(0, 8)}`;
  await ensureTable(endpoint, tableName);
  const db = { client: createDocumentClient({ region: 'us-east-1', endpoint }), name: tableName };
  const store = createReferenceStore(db);
  await store.importAll(loadDemoCity());
  // A fixed pseudo-random sequence, so both sizes put the same first cases in the same places.
  let seed = 17;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const now = new Date();
  const item = (i: number, location: { lat: number; lng: number }) => {
    const at = new Date(now.getTime() - (i % 20) * 86_400_000).toISOString();
    return {
      caseId: i === 0 ? PROBE_ID : randomUUID(), caseNumber: `2026-${String(i + 1).padStart(6, '0')}`, status: 'filed' as const, channel: 'app' as const,
      description: `bench ${i}：路边垃圾堆放`, location, categoryCode: i % 3 === 0 ? 'E0101' : 'C0101', categoryName: i % 3 === 0 ? '暴露垃圾' : '上水井盖',
      gridId: 'yanfeng-dangjiacun', gridName: '当家村社区', reporterKey: 'bench', assignedDepartmentId: '-', dispatchPath: [], escalationLevel: 0, reworkCount: 0,
      beforePhotoKeys: [], afterPhotoKeys: [], createdAt: at, updatedAt: at, version: 2, eventCount: 2, reportedMonth: at.slice(0, 7), ...geoKeys(location),
    };
  };
  const items = Array.from({ length: count }, (_, i) =>
    item(i, i === 0 ? CENTER : { lat: CENTER.lat + (random() * 2 - 1) * HALF_LAT, lng: CENTER.lng + (random() * 2 - 1) * HALF_LNG }),
  );
  for (let i = 0; i < items.length; i += 2500) await Promise.all(chunk(items.slice(i, i + 2500), 625).map((part) => putMany(db, caseModel, part)));
  const deps: CaseDeps = {
    store: createCaseStore(db),
    reference: createReferenceCache(store),
    users: { getUser: async () => undefined },
    photos: { store: { getMany: async () => [] } },
    now: () => new Date(),
    newId: () => randomUUID(),
  };
  return deps;
}

const PROBE_ID = '00000000-0000-4000-8000-000000000001';
const chunk = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

/** Times `nearby` (200 m) and `similar` (100 m) at the centre of a city of each size; ratios of the p50s, largest / smallest. */
export async function benchNearby(endpoint: string, sizes: number[], seconds: number) {
  const nearby: Measurement[] = [];
  const similar: Measurement[] = [];
  const seedSeconds: number[] = [];
  const found: Array<{ nearby: number; similar: number; read: { nearby: number; similar: number }; queries: { nearby: number; similar: number } }> = [];
  for (const size of sizes) {
    const started = performance.now();
    const deps = await seedCity(endpoint, size);
    seedSeconds.push((performance.now() - started) / 1000);
    // Untimed: what each search finds, and what its Queries read (the cases in its covering ranges).
    const [nearbyRanges, similarRanges] = [coveringRanges(CENTER, 200), coveringRanges(CENTER, 100)];
    found.push({
      nearby: (await findNearby(deps, CENTER, 200)).items.length,
      similar: (await findSimilar(deps, AGENT, PROBE_ID, 100)).items.length,
      read: { nearby: (await deps.store.listOpenInRanges(nearbyRanges)).length, similar: (await deps.store.listOpenInRanges(similarRanges)).length },
      queries: { nearby: nearbyRanges.length, similar: similarRanges.length },
    });
    nearby.push(await loadInProcess(`nearby 200 m, ${size.toLocaleString('en')} open cases`, () => findNearby(deps, CENTER, 200), seconds));
    similar.push(await loadInProcess(`similar 100 m, ${size.toLocaleString('en')} open cases`, () => findSimilar(deps, AGENT, PROBE_ID, 100), seconds));
    // Progress as it goes (seeding 100,000 cases takes minutes).
    console.error(`[nearness] ${size} cases: seeded in ${seedSeconds.at(-1)!.toFixed(0)} s, found ${JSON.stringify(found.at(-1))}, p50 nearby ${nearby.at(-1)!.p50Ms.toFixed(2)} ms, similar ${similar.at(-1)!.p50Ms.toFixed(2)} ms`);
  }
  return {
    rows: [...nearby, ...similar],
    nearbyRatio: nearby.at(-1)!.p50Ms / nearby[0]!.p50Ms,
    similarRatio: similar.at(-1)!.p50Ms / similar[0]!.p50Ms,
    seedSeconds,
    found,
  };
}
