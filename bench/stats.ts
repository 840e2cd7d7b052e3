import { randomUUID } from 'node:crypto';
import { ensureTable } from '#infra/local/dynamodb';
import { createDocumentClient } from '#shared/data/client';
import { caseModel, dailyStatsModel } from '#shared/data/entities/cases';
import { putMany } from '#shared/data/operations';

import { createReferenceCache } from '#shared/data/reference-cache';
import { createReferenceStore } from '#shared/data/reference-store';
import { createStatsReader } from '#shared/data/stats-store';
import type { Counter } from '#shared/domain/cases/ports';
import { getSummary } from '#shared/domain/stats/use-cases';
import { loadDemoCity } from '#infra/local/seed';
import { loadInProcess, type Measurement } from './lib.ts';

/**
 * Seeds a fresh table with `count` closed cases spread over 2025 (case items and the daily counters
 * they imply, city and grid scopes), then times a year summary. The summary reads one item per day,
 * so it should cost the same at 1,000 and 100,000 cases.
 */
async function seedYear(endpoint: string, count: number) {
  const tableName = `bench-stats-${count}-${randomUUID().slice(0, 8)}`;
  await ensureTable(endpoint, tableName);
  const db = { client: createDocumentClient({ region: 'us-east-1', endpoint }), name: tableName };
  const city = loadDemoCity();
  await createReferenceStore(db).importAll(city);
  const counters = new Map<string, { scope: string; day: string } & Partial<Record<Counter, number>>>();
  const bump = (scope: string, day: string, name: Counter) => {
    const key = `${scope}|${day}`;
    const item = counters.get(key) ?? { scope, day };
    item[name] = (item[name] ?? 0) + 1;
    counters.set(key, item);
  };
  const items = Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
    const grid = city.grids[i % city.grids.length]!;
    for (const scope of ['city', `grid#${grid.id}`]) for (const name of ['received', 'filed', 'closed'] as const) bump(scope, day, name);
    const iso = `${day}T02:00:00.000Z`;
    return {
      caseId: randomUUID(), status: 'closed' as const, channel: 'app' as const, description: `bench ${i}`, gridId: grid.id, gridName: grid.name,
      reporterKey: 'bench', assignedDepartmentId: '-', dispatchPath: [], escalationLevel: 0, reworkCount: 0, beforePhotoKeys: [], afterPhotoKeys: [],
      createdAt: iso, updatedAt: iso, closedAt: iso, version: 1, eventCount: 1, reportedMonth: iso.slice(0, 7), geohash: '-', geoArea: '-',
    };
  });
  for (let i = 0; i < items.length; i += 2500) await Promise.all(chunk(items.slice(i, i + 2500), 625).map((part) => putMany(db, caseModel, part)));
  await putMany(db, dailyStatsModel, [...counters.values()]);
  const store = createReferenceStore(db);
  return { readDays: createStatsReader(db), reference: createReferenceCache(store), staffWithRole: async () => [], now: () => new Date('2026-01-15T00:00:00Z') };
}

const chunk = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

export async function benchStats(endpoint: string, sizes: number[], seconds: number): Promise<{ rows: Measurement[]; ratio: number; seedSeconds: number[] }> {
  const rows: Measurement[] = [];
  const seedSeconds: number[] = [];
  for (const size of sizes) {
    const started = performance.now();
    const deps = await seedYear(endpoint, size);
    seedSeconds.push((performance.now() - started) / 1000);
    const check = await getSummary(deps, { from: '2025-01-01', to: '2025-12-31', scope: 'city' });
    if (check.received !== size) throw new Error(`seeded ${size} but the summary says ${check.received}`);
    rows.push(await loadInProcess(`summary 2025, ${size.toLocaleString('en')} cases`, () => getSummary(deps, { from: '2025-01-01', to: '2025-12-31', scope: 'city' }), seconds));
  }
  return { rows, ratio: rows.at(-1)!.p50Ms / rows[0]!.p50Ms, seedSeconds };
}
