import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { reindex } from '#infra/cli/commands';
import { apiKeyModel } from '#shared/data/entities/open311';
import { primaryKey } from '#shared/data/model';
import { createApiKeyStore } from '#shared/data/open311-store';
import { createTestTable } from '../support/table.ts';

describe('reindex: API keys created before GET /v1/admin/api-keys listed them', () => {
  it('puts them again with their listing keys (gsi4), as they were; a second run finds none', async () => {
    const own = await createTestTable();
    try {
      const keys = createApiKeyStore(own.db);
      const record = (id: string, createdAt: string) => ({ id, name: `12345 热线 ${id}`, secretHash: id.repeat(64).slice(0, 64), createdAt, createdBy: 'admin-1' });
      const old = [record('a', '2026-06-01T00:00:00.000Z'), record('b', '2026-06-02T00:00:00.000Z')];
      for (const r of old) {
        await keys.put(r);
        // As a table from before the listing holds them: no gsi4 keys.
        await own.client.send(new UpdateCommand({ TableName: own.tableName, Key: primaryKey(apiKeyModel, { keyId: r.id }), UpdateExpression: 'REMOVE gsi4pk, gsi4sk' }));
      }
      await keys.put(record('c', '2026-07-01T00:00:00.000Z')); // created since: listed already
      expect((await keys.list()).map((k) => k.id)).toEqual(['c']);

      const lines: string[] = [];
      const done = await reindex(own.db, (line) => lines.push(line));
      expect(done.apiKeysListed).toBe(2);
      expect(lines.at(-1)).toBe('Listed 2 API keys created before GET /v1/admin/api-keys listed them.');
      expect(await keys.list()).toEqual([...old, record('c', '2026-07-01T00:00:00.000Z')]);
      // The key still authenticates as before (same hash), and a second run has nothing to do.
      expect(await keys.get('a')).toEqual(old[0]);
      expect((await reindex(own.db, () => {})).apiKeysListed).toBe(0);
    } finally {
      await own.drop();
    }
  });
});
