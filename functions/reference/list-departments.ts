import { listDepartments as route } from '#shared/contract/reference';
import { listDepartments } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function getDepartments(): Promise<HttpResult> {
  return { status: 200, body: await listDepartments(getReferenceDeps()) };
}

export const handler = httpHandler(route, getDepartments);
