import { randomUUID } from 'node:crypto';
import { importStaffBatch as route } from '#shared/contract/identity';
import { importStaff } from '#shared/domain/identity/staff-batch';
import { actorOf } from '#shared/domain/audit/chain';
import { getAuditLog } from '#shared/wiring/audit';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { negotiateLanguage } from '#shared/http/messages';
import { localizeRows, parseStaffRows } from '#shared/http/staff-rows';
import { getDirectoryDeps } from '#shared/wiring/directory';
import { getIdentityStore, getSessionCheck } from '#shared/wiring/identity';

/** 人员批量导入: every row checked, then (unless a dry run or a row is invalid) written in chunks. */
export async function batchStaff(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const language = negotiateLanguage(request.headers['accept-language']);
  const dryRun = request.body.dryRun ?? false;
  const { departments, grids } = getDirectoryDeps();
  const result = await importStaff({ store: getIdentityStore(), departments, grids, now: () => new Date(), newId: () => randomUUID(), audit: getAuditLog() }, parseStaffRows(request.body.items, language), { dryRun, actor: actorOf(request.principal) });
  // This container applies changed accounts (a disable, other roles) at once; others within their cache's age.
  if (result.written > 0) for (const item of result.items) if (item.outcome === 'updated' && item.userId) getSessionCheck().forgetAccount(item.userId);
  return { status: 200, body: { items: localizeRows(result.items, language), dryRun, written: result.written } };
}

export const handler = httpHandler(route, batchStaff);
