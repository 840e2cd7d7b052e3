import { listMyTasks as route } from '#shared/contract/field-checks';
import { listMyTasks } from '#shared/domain/cases/queries';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';

export async function myTasks(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await listMyTasks(await getCaseDeps(), request.principal) };
}

export const handler = httpHandler(route, myTasks);
