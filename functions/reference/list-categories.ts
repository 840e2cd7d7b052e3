import { routes } from '#infra/routes';
import { listCategories } from '#shared/domain/reference/use-cases';
import { httpHandler, type HttpResult } from '#shared/http/handler';
import { getReferenceDeps } from '#shared/wiring/reference';

export async function getCategories(): Promise<HttpResult> {
  return { status: 200, body: await listCategories(getReferenceDeps()) };
}

export const handler = httpHandler(routes.listCategories, getCategories);
