import { listMyTasks as route } from '#shared/contract/field-checks';
import { listMyTasks } from '#shared/domain/cases/queries';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';
import { getCursorCodec } from '#shared/wiring/cursors';

export async function myTasks(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await listMyTasks({ ...(await getCaseDeps()), cursors: await getCursorCodec() }, request.principal, request.query) };
}

export const handler = httpHandler(route, myTasks);
