import { routes } from '#infra/routes';
import { createStaff } from '#shared/domain/identity/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getAuthRuntime } from '#shared/wiring/identity';

export async function createStaffAccount(request: HttpRequest<typeof routes.createStaff>): Promise<HttpResult> {
  return { status: 201, body: { user: await createStaff(await getAuthRuntime(), request.body, request.principal) } };
}

export const handler = httpHandler(routes.createStaff, createStaffAccount);
