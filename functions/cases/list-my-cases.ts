import { listMyCases as route } from '#shared/contract/cases';
import { listMyCases as list } from '#shared/domain/cases/queries';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';
import { getCursorCodec } from '#shared/wiring/cursors';

export async function listMyCases(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 200, body: await list({ ...(await getCaseDeps()), cursors: await getCursorCodec() }, request.principal, request.query) };
}

export const handler = httpHandler(route, listMyCases);
