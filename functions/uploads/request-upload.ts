import { requestUpload as route } from '#shared/contract/photos';
import { requestUpload as request_ } from '#shared/domain/photos/use-cases';
import { httpHandler, type HttpRequest, type HttpResult } from '#shared/http/handler';
import { getUploadDeps } from '#shared/wiring/photo-uploads';

export async function requestUpload(request: HttpRequest<typeof route>): Promise<HttpResult> {
  return { status: 201, body: await request_(getUploadDeps(), request.principal, request.body) };
}

export const handler = httpHandler(route, requestUpload);
