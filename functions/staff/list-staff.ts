import { listStaff as route } from '#shared/contract/identity';
import { listStaff } from '#shared/domain/identity/directory';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDirectoryDeps } from '#shared/wiring/directory';

export async function staffDirectory(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await listStaff(getDirectoryDeps(), request.principal, request.query) };
}

export const handler = httpHandler(route, staffDirectory);
