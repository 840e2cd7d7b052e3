import { updateStaff as route } from '#shared/contract/identity';
import { updateStaff } from '#shared/domain/identity/directory';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getDirectoryDeps } from '#shared/wiring/directory';

export async function changeStaff(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await updateStaff(getDirectoryDeps(), request.params.id, request.body) };
}

export const handler = httpHandler(route, changeStaff);
