import { randomUUID } from 'node:crypto';
import { createStaff as route } from '#shared/contract/identity';
import { createStaff } from '#shared/domain/identity/use-cases';
import { getAuditLog } from '#shared/wiring/audit';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getIdentityStore } from '#shared/wiring/identity';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function createStaffAccount(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const departments = await getReferenceDeps().cache.departments();
  return { status: 201, body: { user: await createStaff({ store: getIdentityStore(), now: () => new Date(), newId: () => randomUUID(), audit: getAuditLog() }, request.body, request.principal, departments) } };
}

export const handler = httpHandler(route, createStaffAccount);
