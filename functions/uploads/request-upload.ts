import { routes } from '#infra/routes';
import { requestUpload as request_ } from '#shared/domain/photos/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getPhotoDeps } from '#shared/wiring/photos';

export async function requestUpload(request: HttpRequest<typeof routes.requestUpload>): Promise<HttpResult> {
  return { status: 201, body: await request_(getPhotoDeps(), request.principal, request.body) };
}

export const handler = httpHandler(routes.requestUpload, requestUpload);
