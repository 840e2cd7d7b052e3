import { getConfig } from '#shared/config/index';
import { loadAuditKey } from '#shared/adapters/audit-key';
import { createAuditLog, type TableAuditLog } from '#shared/data/audit-store';
import { getTable } from '#shared/data/db';

let log: TableAuditLog | undefined;
let key: Promise<Uint8Array> | undefined;

/** The audit record (操作日志), its key read once per container on the first append. */
export function getAuditLog(): TableAuditLog {
  log ??= createAuditLog(getTable(), () => {
    key ??= loadAuditKey(getConfig());
    key.catch(() => (key = undefined)); // a failed secret fetch is retried on the next call
    return key;
  });
  return log;
}
