import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '#shared/data/client';
import { createDb } from '#shared/data/db';
import { createIdentityStore } from '#shared/data/identity-store';
import { createStaff } from '#shared/domain/identity/use-cases';
import { DEMO_STAFF } from './demo-city.ts';

/** Loads the demo city into an empty table through the same use cases the API uses. */
export async function seedDemoCity(endpoint: string, tableName: string): Promise<{ staff: number }> {
  const client = createDocumentClient({ region: 'us-east-1', endpoint });
  try {
    const store = createIdentityStore(createDb(client, tableName));
    const deps = { store, now: () => new Date(), newId: () => randomUUID() };
    for (const staff of DEMO_STAFF) await createStaff(deps, staff, undefined);
    return { staff: DEMO_STAFF.length };
  } finally {
    client.destroy();
  }
}
