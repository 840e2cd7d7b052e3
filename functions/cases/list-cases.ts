import { listCases as route } from '#shared/contract/cases';
import { findCaseByNumber, listQueue } from '#shared/domain/cases/queries';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';
import { getCursorCodec } from '#shared/wiring/cursors';

export async function listCases(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const { limit, cursor, caseNumber, ...filter } = request.query;
  if (caseNumber) return { status: 200, body: await findCaseByNumber(await getCaseDeps(), request.principal, caseNumber) };
  return { status: 200, body: await listQueue({ ...(await getCaseDeps()), cursors: await getCursorCodec() }, request.principal, filter, { limit, cursor }) };
}

export const handler = httpHandler(route, listCases);
