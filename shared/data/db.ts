import { getConfig } from '#shared/config/index';
import { createDocumentClient } from './client.ts';
import type { Table } from './operations.ts';

export type { Table } from './operations.ts';

let container: Table | undefined;

/**
 * The container's table: one document client at module scope, reused by every call, and the table's
 * name, from the configuration (read at first use, not at load).
 */
export function getTable(): Table {
  if (!container) {
    const config = getConfig();
    container = {
      client: createDocumentClient({ region: config.AWS_REGION, ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}) }),
      name: config.TABLE_NAME,
    };
  }
  return container;
}
