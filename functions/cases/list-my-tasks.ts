import { listMyTasks as route } from '#shared/contract/field-checks';
import { getTable } from '#shared/data/db';
import { openRollCallsReader } from '#shared/data/roll-call-store';
import { listMyTasks } from '#shared/domain/cases/queries';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getCaseDeps } from '#shared/wiring/cases';
import { getCursorCodec } from '#shared/wiring/cursors';

let rollCalls: ReturnType<typeof openRollCallsReader> | undefined;

export async function myTasks(request: HttpRequest<typeof route>): Promise<HttpResult> {
  rollCalls ??= openRollCallsReader(getTable());
  return { status: 200, body: await listMyTasks({ ...(await getCaseDeps()), cursors: await getCursorCodec(), rollCalls }, request.principal, request.query) };
}

export const handler = httpHandler(route, myTasks);
