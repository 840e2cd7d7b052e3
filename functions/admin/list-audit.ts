import { listAudit as route } from '#shared/contract/audit';
import { listAuditEntries } from '#shared/domain/audit/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getAuditLog } from '#shared/wiring/audit';

/** 操作日志: admins see entries whole, leaders without phone numbers. */
export async function auditRecord(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await listAuditEntries(getAuditLog(), request.principal, request.query), headers: { 'cache-control': 'no-store' } };
}

export const handler = httpHandler(route, auditRecord);
