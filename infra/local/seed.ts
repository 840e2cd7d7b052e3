import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { createDocumentClient } from '#shared/data/client';
import { createDb } from '#shared/data/db';
import { createIdentityStore } from '#shared/data/identity-store';
import { createReferenceStore } from '#shared/data/reference-store';
import { createStaff } from '#shared/domain/identity/use-cases';
import { DEFAULT_CATALOGUE } from '#shared/domain/reference/default-catalogue';
import { DepartmentTree, levelOf, type Department } from '#shared/domain/reference/departments';
import { DepartmentBody, GridFeature, Slug } from '#shared/schemas/reference';
import { DEMO_STAFF } from './demo-city.ts';

const DemoDepartments = z.array(DepartmentBody.extend({ id: Slug }));
const DemoGrids = z.object({ type: z.literal('FeatureCollection'), features: z.array(GridFeature.and(z.object({ id: Slug }))) });

const readJson = (name: string): unknown => JSON.parse(readFileSync(new URL(`./demo-city/${name}`, import.meta.url), 'utf8'));

/**
 * The demo city's reference data from `infra/local/demo-city/` (replace those files with a city's own),
 * validated with the same schemas as the admin routes.
 */
export function loadDemoCity() {
  const departments: Department[] = DemoDepartments.parse(readJson('departments.json')).map((d) => ({ ...d, level: levelOf(d.type) }));
  // Insert parents first so that each department is checked against the tree as the API would.
  const accepted: Department[] = [];
  for (const d of [...departments].sort((a, b) => a.level - b.level)) {
    new DepartmentTree(accepted).validateUpsert(d);
    accepted.push(d);
  }
  const grids = DemoGrids.parse(readJson('grids.json')).features.map((f) => ({ id: f.id, ...f.properties, geometry: f.geometry }));
  return { departments: accepted, grids, categories: [...DEFAULT_CATALOGUE] };
}

/** Loads the demo city into an empty table through the same stores and use cases the API uses. */
export async function seedDemoCity(endpoint: string, tableName: string) {
  const client = createDocumentClient({ region: 'us-east-1', endpoint });
  try {
    const db = createDb(client, tableName);
    const city = loadDemoCity();
    await createReferenceStore(db).importAll(city);
    const deps = { store: createIdentityStore(db), now: () => new Date(), newId: () => randomUUID() };
    // The demo supervisor patrols every demo grid (field checks of any demo case reach them).
    const everyGrid = city.grids.map((g) => g.id);
    for (const staff of DEMO_STAFF) await createStaff(deps, { ...staff, ...(staff.roles.includes('supervisor') ? { gridIds: everyGrid } : {}) }, undefined);
    return { staff: DEMO_STAFF.length, departments: city.departments.length, grids: city.grids.length, categories: city.categories.length };
  } finally {
    client.destroy();
  }
}
