import { sendSmsCode as route } from '#shared/contract/identity';
import { requestCode } from '#shared/domain/identity/use-cases';
import { publicHttpHandler, type HttpRequest, type HttpResult } from '#shared/http/public-handler';
import { getAuthRuntime } from '#shared/wiring/auth';

export async function sendSmsCode(request: HttpRequest<typeof route>): Promise<HttpResult> {
  const result = await requestCode(await getAuthRuntime(), { ...request.body, ip: request.sourceIp });
  return { status: 202, body: result };
}

export const handler = publicHttpHandler(route, sendSmsCode);
