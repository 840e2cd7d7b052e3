import { routes } from '#infra/routes';
import { requestCode } from '#shared/domain/identity/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getAuthRuntime } from '#shared/wiring/identity';

export async function sendSmsCode(request: HttpRequest<typeof routes.sendSmsCode>): Promise<HttpResult> {
  const result = await requestCode(await getAuthRuntime(), { ...request.body, ip: request.sourceIp });
  return { status: 202, body: result };
}

export const handler = httpHandler(routes.sendSmsCode, sendSmsCode);
