import { listCategories as route } from '#shared/contract/reference';
import { listCategories } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function getCategories(): Promise<HttpResult> {
  return { status: 200, body: await listCategories(getReferenceDeps()) };
}

export const handler = httpHandler(route, getCategories);
