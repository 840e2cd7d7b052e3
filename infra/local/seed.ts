import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createDocumentClient } from '#shared/data/client';

import { createIdentityStore } from '#shared/data/identity-store';
import { createStaff } from '#shared/domain/identity/use-cases';
import { readCityFolder } from '#infra/cli/city-folder';
import { importCity } from '#infra/cli/commands';
import { DEMO_STAFF } from './demo-city.ts';

/** The demo city: a city folder like any other (`npm run city -- import` reads the same files). */
export const DEMO_CITY_DIR = fileURLToPath(new URL('./demo-city/', import.meta.url));

/**
 * The demo city's reference data (`infra/local/demo-city/`: categories from the default catalogue, the
 * working calendar's 2026 holidays and make-up days as `calendar.json`),
 * checked as `npm run city -- import` checks a city folder.
 */
export function loadDemoCity() {
  return readCityFolder(DEMO_CITY_DIR);
}

/** Loads the demo city into an empty table with the city CLI's import, then the demo staff. */
export async function seedDemoCity(endpoint: string, tableName: string) {
  const client = createDocumentClient({ region: 'us-east-1', endpoint });
  try {
    const db = { client, name: tableName };
    const plan = await importCity(db, DEMO_CITY_DIR, { dryRun: false }, () => {});
    const deps = { store: createIdentityStore(db), now: () => new Date(), newId: () => randomUUID() };
    // The demo supervisor patrols every demo grid (field checks of any demo case reach them).
    const everyGrid = loadDemoCity().grids.map((g) => g.id);
    for (const staff of DEMO_STAFF) await createStaff(deps, { ...staff, ...(staff.roles.includes('supervisor') ? { gridIds: everyGrid } : {}) }, undefined);
    return { staff: DEMO_STAFF.length, departments: plan.departments.length, grids: plan.grids.length, categories: plan.categories.length, calendarYears: plan.calendar.length };
  } finally {
    client.destroy();
  }
}
