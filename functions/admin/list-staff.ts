import { listStaffForAdmin as route } from '#shared/contract/identity';
import { listStaffForAdmin } from '#shared/domain/identity/directory';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDirectoryDeps } from '#shared/wiring/directory';

/** 人员管理: the staff with their phones (admin), for the console's 人员 page and its export. */
export async function adminStaffDirectory(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await listStaffForAdmin(getDirectoryDeps(), request.query), headers: { 'cache-control': 'no-store' } };
}

export const handler = httpHandler(route, adminStaffDirectory);
